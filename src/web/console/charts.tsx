/**
 * Charts drawn on the server as SVG, no script. Every chart is a list of rows, each a label line
 * and a mark under it, laid out in percentages of the page's width (no viewBox): the text keeps
 * its size at 360 px and at 1280 px alike, only the bars stretch. Each SVG is an image with a
 * title and a description, and its numbers are also in the table beside it.
 */

const ROW = 40;
const TOP = 8;
const pct = (x: number) => `${Math.max(0, Math.min(100, x)).toFixed(2)}%`;

interface ChartText {
  id: string;
  title: string;
  desc: string;
}

function Frame(props: ChartText & { height: number; children: unknown }) {
  return (
    <svg
      class="chart"
      width="100%"
      height={props.height}
      role="img"
      aria-labelledby={`${props.id}-t ${props.id}-d`}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${props.id}-t`}>{props.title}</title>
      <desc id={`${props.id}-d`}>{props.desc}</desc>
      {props.children}
    </svg>
  );
}

export interface Bar {
  label: string;
  /** The whole bar. */
  value: number;
  /** A part of it drawn in the alarm colour (voids of issues + voids). */
  part?: number;
  /** What the row says on the right. */
  text: string;
}

/** Horizontal bars, longest = full width. */
export function BarChart(props: ChartText & { bars: Bar[] }) {
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const height = TOP + props.bars.length * ROW + 4;
  return (
    <Frame {...props} height={height}>
      {props.bars.map((b, i) => {
        const y = TOP + i * ROW;
        const width = (b.value / max) * 100;
        const part = b.part ? (b.part / max) * 100 : 0;
        return (
          <g key={b.label}>
            <text x="0" y={y + 13} class="chart-label">
              {b.label}
            </text>
            <text x="100%" y={y + 13} class="chart-value" text-anchor="end">
              {b.text}
            </text>
            <rect x="0" y={y + 19} width={pct(width)} height="14" rx="2" class="chart-bar" />
            {part > 0 && (
              <rect x={pct(width - part)} y={y + 19} width={pct(Math.max(part, 0.6))} height="14" class="chart-part" />
            )}
          </g>
        );
      })}
    </Frame>
  );
}

export interface RatioPoint {
  label: string;
  ratio: number | null;
}

export const NORMAL_LOW = 103;
export const NORMAL_HIGH = 107;
export const outsideBand = (ratio: number | null) => ratio !== null && (ratio < NORMAL_LOW || ratio > NORMAL_HIGH);

/**
 * Sex ratio at birth per row as a dot on a scale from 90 to 120 (wider when a value lies
 * outside), with the normal band 103–107 shaded across every row and labelled on the axis.
 */
export function RatioChart(props: ChartText & { points: RatioPoint[]; outsideText: string }) {
  const values = props.points.map((p) => p.ratio).filter((r): r is number => r !== null);
  const low = Math.floor(Math.min(90, ...values) / 5) * 5;
  const high = Math.ceil(Math.max(120, ...values) / 5) * 5;
  const x = (r: number) => ((r - low) / (high - low)) * 100;
  const rowsHeight = props.points.length * ROW;
  const height = TOP + rowsHeight + 28;
  const ticks = [low, NORMAL_LOW, NORMAL_HIGH, high];
  return (
    <Frame {...props} height={height}>
      <rect
        x={pct(x(NORMAL_LOW))}
        y={TOP}
        width={pct(x(NORMAL_HIGH) - x(NORMAL_LOW))}
        height={rowsHeight}
        class="chart-band"
      />
      {props.points.map((p, i) => {
        const y = TOP + i * ROW;
        const outside = outsideBand(p.ratio);
        return (
          <g key={p.label}>
            <text x="0" y={y + 13} class="chart-label">
              {p.label}
            </text>
            <text x="100%" y={y + 13} class={outside ? 'chart-value chart-alarm' : 'chart-value'} text-anchor="end">
              {p.ratio === null ? '—' : outside ? `${p.ratio}（${props.outsideText}）` : String(p.ratio)}
            </text>
            <line x1="0" x2="100%" y1={y + 26} y2={y + 26} class="chart-grid" />
            {p.ratio !== null && (
              <circle cx={pct(x(p.ratio))} cy={y + 26} r="6" class={outside ? 'chart-dot chart-alarm' : 'chart-dot'} />
            )}
          </g>
        );
      })}
      {ticks.map((t, i) => (
        <text
          key={`${i}-${t}`}
          x={pct(x(t))}
          y={TOP + rowsHeight + 18}
          class="chart-tick"
          // The band's bounds sit either side of it, the ends of the scale inside the chart.
          text-anchor={i === 0 || t === NORMAL_HIGH ? 'start' : 'end'}
        >
          {String(t)}
        </text>
      ))}
    </Frame>
  );
}
