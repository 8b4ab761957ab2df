import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react'

// Drawn only in the browser, after the page is live: recharts loads then, not with the page (decision 036).
const BarsDrawing = lazy(() => import('./chart-drawings').then((m) => ({ default: m.BarsDrawing })))
const LineDrawing = lazy(() => import('./chart-drawings').then((m) => ({ default: m.LineDrawing })))

/**
 * A chart with its text equivalent: the data as a table for screen readers (the SVG is hidden from them), and a fixed
 * height so the page does not jump. Charts draw only in the browser (they measure their container), once their
 * drawing code has loaded.
 */
function ChartFrame({
  title,
  table,
  children,
  height = 220,
}: {
  title: string
  table: { head: string[]; rows: (string | number)[][] }
  children: ReactNode
  height?: number
}) {
  const [client, setClient] = useState(false)
  useEffect(() => setClient(true), [])
  return (
    <figure className="grid gap-2">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <div aria-hidden style={{ height }} className="min-w-0">
        {client ? <Suspense fallback={null}>{children}</Suspense> : null}
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            {table.head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}

export function HorizontalBars({
  title,
  data,
  valueLabel,
  nameLabel,
}: {
  title: string
  data: { name: string; value: number }[]
  valueLabel: string
  nameLabel: string
}) {
  return (
    <ChartFrame
      title={title}
      table={{ head: [nameLabel, valueLabel], rows: data.map((d) => [d.name, d.value]) }}
      height={Math.max(120, data.length * 36 + 20)}
    >
      <BarsDrawing data={data} valueLabel={valueLabel} />
    </ChartFrame>
  )
}

export function DailyLine({
  title,
  data,
  valueLabel,
  dayLabel,
}: {
  title: string
  data: { day: string; label: string; value: number }[]
  valueLabel: string
  dayLabel: string
}) {
  return (
    <ChartFrame title={title} table={{ head: [dayLabel, valueLabel], rows: data.map((d) => [d.label, d.value]) }}>
      <LineDrawing data={data} valueLabel={valueLabel} />
    </ChartFrame>
  )
}
