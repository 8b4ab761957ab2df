import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { useEffect, useState, type ReactNode } from 'react'

const palette = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2', '#4b5563', '#db2777']

/**
 * A chart with its text equivalent: the data as a table for screen readers (the SVG is hidden from them), and a fixed
 * height so the page does not jump. Charts draw only in the browser (they measure their container).
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
        {client ? (
          <ResponsiveContainer width="100%" height="100%">
            {children as never}
          </ResponsiveContainer>
        ) : null}
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
      <BarChart data={data} layout="vertical" margin={{ left: 8, right: 16, top: 4, bottom: 4 }}>
        <CartesianGrid horizontal={false} strokeDasharray="3 3" />
        <XAxis type="number" allowDecimals={false} fontSize={12} />
        <YAxis type="category" dataKey="name" width={96} fontSize={12} />
        <Tooltip />
        <Bar dataKey="value" name={valueLabel} radius={[0, 4, 4, 0]} isAnimationActive={false}>
          {data.map((_, i) => (
            <Cell key={i} fill={palette[i % palette.length]} />
          ))}
        </Bar>
      </BarChart>
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
      <LineChart data={data} margin={{ left: 0, right: 16, top: 8, bottom: 4 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" fontSize={12} minTickGap={16} />
        <YAxis allowDecimals={false} fontSize={12} width={32} />
        <Tooltip />
        <Line
          type="monotone"
          dataKey="value"
          name={valueLabel}
          stroke={palette[0]}
          strokeWidth={2}
          dot={data.length <= 31}
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFrame>
  )
}
