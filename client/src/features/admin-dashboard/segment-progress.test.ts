import { describe, expect, it } from 'vitest';
import { segmentProgress } from './segment-progress.ts';

describe('segmentProgress', () => {
  it('draws the bar exactly as far as the count says', () => {
    expect(segmentProgress({ status: 'RUNNING', processed: 120, total: 480 })).toEqual({
      percent: 25,
      text: '120 / 480',
    });
    expect(segmentProgress({ status: 'SUCCEEDED', processed: 1204, total: 1204 })).toEqual({
      percent: 100,
      text: '1,204 / 1,204',
    });
  });

  it('never pretends a share it does not know', () => {
    // Running without a total yet: no percentage (the bar moves instead), the count says "…".
    expect(segmentProgress({ status: 'RUNNING', processed: 40, total: null })).toEqual({
      percent: null,
      text: '40 / …',
    });
    // Finished without a total: it read everything there was.
    expect(segmentProgress({ status: 'SUCCEEDED', processed: 7, total: null })).toEqual({
      percent: 100,
      text: '7 / 7',
    });
    expect(segmentProgress({ status: 'PENDING', processed: 0, total: null })).toEqual({
      percent: 0,
      text: 'waiting',
    });
    expect(segmentProgress({ status: 'FAILED', processed: 3, total: 10 })).toEqual({
      percent: 30,
      text: '3 / 10 failed',
    });
  });
});
