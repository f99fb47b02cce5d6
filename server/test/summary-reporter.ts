import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints, after Vitest's own report, which suites were skipped (they need a service whose URL
 * variable is unset) and a closing line in the plain `N passed, N failed, N skipped` form, with
 * the run's wall time.
 */
export default class SummaryReporter implements Reporter {
  #startedAt = performance.now();

  onTestRunStart() {
    this.#startedAt = performance.now();
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const skippedSuites = new Set<string>();
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else {
          skipped += 1;
          const suite = test.parent.type === 'suite' ? test.parent.fullName : test.module.moduleId;
          skippedSuites.add(`${suite} (${mod.relativeModuleId})`);
        }
      }
      // A file that failed outside its tests (import error, a failing beforeAll) counts as failed,
      // even when its tests were never run and so show as skipped.
      if (
        mod.state() === 'failed' &&
        ![...mod.children.allTests()].some((t) => t.result().state === 'failed')
      )
        failed += 1;
    }
    if (skippedSuites.size > 0) {
      console.log('\nSkipped suites (their service is not configured; see README "Tests"):');
      for (const name of [...skippedSuites].sort()) console.log(`  - ${name}`);
    }
    const seconds = (performance.now() - this.#startedAt) / 1000;
    const wall = new Intl.NumberFormat('en', { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(
      seconds,
    );
    console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped in ${wall} s wall time`);
  }
}
