// Time-series charts with uPlot (served by Vigil from its WebJar): one per vital sign, with the
// patient's alarm limits as dashed lines and alarms as markers. uPlot zooms by dragging across a
// chart (double-click resets); the range buttons pan by choosing the window.

import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';

const LINE = '#0b5cad';
const SECOND = '#7a3e9d';
const LIMIT = '#b42318';
const ALARM = '#b54708';

/** Draws dashed horizontal lines at the limits and a vertical mark at each alarm. */
function overlays(limits, alarmTimes) {
  return {
    hooks: {
      draw: [
        (u) => {
          const { ctx } = u;
          const { left, top, width, height } = u.bbox;
          ctx.save();
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.strokeStyle = LIMIT;
          for (const value of limits) {
            const y = u.valToPos(value, 'y', true);
            if (y < top || y > top + height) continue;
            ctx.beginPath();
            ctx.moveTo(left, y);
            ctx.lineTo(left + width, y);
            ctx.stroke();
          }
          ctx.setLineDash([]);
          ctx.strokeStyle = ALARM;
          for (const t of alarmTimes) {
            const x = u.valToPos(t, 'x', true);
            if (x < left || x > left + width) continue;
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
          }
          ctx.restore();
        },
      ],
    },
  };
}

/**
 * A chart in `container`. series: [{label, points: [[seconds, value]...]}] sharing one time axis.
 * Returns the uPlot instance (its data is what was drawn).
 */
export function chart(container, { title, unit, series, limits = [], alarmTimes = [], from, to, stepped = false }) {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const columns = series.map((s) => {
    const byTime = new Map(s.points);
    return times.map((t) => (byTime.has(t) ? byTime.get(t) : null));
  });
  const width = Math.max(280, container.clientWidth || 600);
  const options = {
    title,
    width,
    height: 180,
    scales: {
      x: { time: true, range: [from, to] },
      // the limits are always in view, so a nurse sees how far a value is from them
      y: {
        range: (u, min, max) => {
          const low = Math.min(min ?? Infinity, ...limits);
          const high = Math.max(max ?? -Infinity, ...limits);
          const pad = Math.max((high - low) * 0.08, 1);
          return [low - pad, high + pad];
        },
      },
    },
    axes: [{}, { label: unit, size: 56 }],
    cursor: { drag: { x: true, y: false } },
    plugins: [overlays(limits, alarmTimes)],
    series: [
      {},
      ...series.map((s, i) => ({
        label: s.label,
        stroke: i === 0 ? LINE : SECOND,
        width: 2,
        spanGaps: false,
        paths: stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
        points: { show: times.length < 200 },
      })),
    ],
  };
  // how many points the chart was given, for people and tests checking it shows what was stored
  container.dataset.points = String(times.length);
  return new uPlot(options, [times, ...columns], container);
}
