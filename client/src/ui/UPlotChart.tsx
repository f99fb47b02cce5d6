import { useEffect, useId, useRef, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cx } from './cx.ts';

/** uPlot options without the size: the chart takes its width from its container. */
export type UPlotChartOptions = Omit<uPlot.Options, 'width' | 'height'>;

export interface UPlotChartProps {
  /** uPlot options (series, axes, scales…). A new object rebuilds the chart; memoise it. */
  options: UPlotChartOptions;
  /** Columnar data: `[xs, ys1, ys2, …]`. A new array only re-feeds the existing chart. */
  data: uPlot.AlignedData;
  /** Accessible name of the chart, e.g. "Power and energy of session 42". */
  label: string;
  /**
   * A plain-text (or small table) summary for screen readers and for anyone who cannot read a
   * canvas, e.g. "Peak 48 kW, 31.2 kWh over 42 minutes". Shown visually hidden.
   */
  summary?: ReactNode;
  /** Plot height in CSS pixels (legend excluded). */
  height?: number;
  className?: string;
}

/**
 * A small React wrapper over uPlot: creates the plot once per `options`, feeds `data` with
 * `setData`, follows its container's width (ResizeObserver) and destroys the plot on unmount.
 * The canvas is hidden from assistive tech; `label` and `summary` describe it instead.
 */
export function UPlotChart({ options, data, label, summary, height = 220, className }: UPlotChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  dataRef.current = data;
  const summaryId = useId();

  // (Re)build the plot when options or height change.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return undefined;
    const width = Math.max(host.clientWidth, 1);
    const plot = new uPlot({ ...options, width, height }, dataRef.current, host);
    plotRef.current = plot;
    // The canvas itself says nothing to a screen reader; the figure's label and summary do.
    plot.root.setAttribute('aria-hidden', 'true');

    let frame = 0;
    const observer =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver((entries) => {
            const entry = entries[0];
            if (!entry) return;
            const nextWidth = Math.max(Math.floor(entry.contentRect.width), 1);
            cancelAnimationFrame(frame);
            frame = requestAnimationFrame(() => {
              if (plot.width !== nextWidth) plot.setSize({ width: nextWidth, height });
            });
          });
    observer?.observe(host);

    return () => {
      cancelAnimationFrame(frame);
      observer?.disconnect();
      plot.destroy();
      if (plotRef.current === plot) plotRef.current = null;
    };
  }, [options, height]);

  // New data on the same plot: no rebuild.
  useEffect(() => {
    plotRef.current?.setData(data);
  }, [data]);

  return (
    <figure
      className={cx('ui-chart', className)}
      role="img"
      aria-label={label}
      aria-describedby={summary != null ? summaryId : undefined}
      style={{ margin: 0, minWidth: 0 }}
    >
      <div ref={hostRef} style={{ width: '100%', minWidth: 0 }} />
      {summary != null && (
        <figcaption id={summaryId} className="visually-hidden">
          {summary}
        </figcaption>
      )}
    </figure>
  );
}
