import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { openSandbox } from './sandbox-contact'

/**
 * `pnpm ai:simulate [--agency horizonte] [--from "+55 11 97777-0000"] [--name "Joana Teste"] [--script file.json]
 * [--set-auto] [--url http://localhost:3000] [--wait 20]`
 *
 * Plays a scripted contact against an agency's AI agent while the app runs (`pnpm dev` or `start`): each line of the
 * script is a message to the agency's sandbox number, sent once the bot has answered the previous one (or after
 * `--wait` seconds); the bot's messages are printed as they arrive, and the run ends when a person has the
 * conversation, printing the lead's qualification. The number must be in AI mode "auto" (`--set-auto` sets it).
 * A script is a JSON array of messages; the default one asks to rent in Pinheiros with a budget.
 */
const { values } = parseArgs({
  options: {
    agency: { type: 'string', default: 'horizonte' },
    from: { type: 'string', default: `+55 11 9${String(Date.now()).slice(-8)}` },
    name: { type: 'string', default: 'Joana Teste' },
    script: { type: 'string' },
    'set-auto': { type: 'boolean', default: false },
    url: { type: 'string', default: `http://localhost:${process.env.PORT ?? 3000}` },
    wait: { type: 'string', default: '20' },
  },
})

const defaultScript = [
  'Oi, boa tarde! Vi um anúncio de vocês',
  'Quero alugar um apartamento',
  'Em Pinheiros ou Perdizes',
  'Até 4 mil por mês',
]

try {
  const script: unknown = values.script ? JSON.parse(await readFile(values.script, 'utf8')) : defaultScript
  if (!Array.isArray(script) || !script.every((l) => typeof l === 'string' && l.trim()))
    throw new Error('a script is a JSON array of non-empty messages')
  const sandbox = await openSandbox(values.agency!)
  const { sql, account } = sandbox
  try {
    const [number] = await sql<{ ai_mode: string | null; agency_mode: string }[]>`
      select a.ai_mode, g.ai_mode as agency_mode from whatsapp_accounts a join agencies g on g.id = a.agency_id
      where a.id = ${account.id}`
    if ((number!.ai_mode ?? number!.agency_mode) !== 'auto') {
      if (!values['set-auto'])
        throw new Error(
          `the sandbox number ${account.display_number} is not in AI mode "auto": set it in Settings → WhatsApp numbers, or pass --set-auto`,
        )
      await sql`update whatsapp_accounts set ai_mode = 'auto' where id = ${account.id}`
      console.log(`number ${account.display_number} set to AI mode "auto"`)
    }
    const waitMs = Number(values.wait) * 1000
    let shown = 0
    let conversationId: string | null = null
    const botMessages = async () =>
      conversationId
        ? sql<{ body: string | null }[]>`select body from whatsapp_messages
            where conversation_id = ${conversationId} and author = 'bot' order by seq`
        : []
    for (const text of script as string[]) {
      console.log(`\n> ${values.name}: ${text}`)
      const before = (await botMessages()).length
      await sandbox.deliver(values.url!, { from: values.from!, name: values.name, text })
      const end = Date.now() + waitMs
      for (;;) {
        if (!conversationId) {
          const [c] = await sql<{ id: string }[]>`select c.id from whatsapp_conversations c
            join whatsapp_messages m on m.conversation_id = c.id
            where c.account_id = ${account.id} and m.body = ${text} and m.direction = 'inbound'
            order by m.seq desc limit 1`
          conversationId = c?.id ?? null
        }
        const messages = await botMessages()
        for (const m of messages.slice(shown)) console.log(`< bot: ${m.body ?? ''}`)
        shown = messages.length
        const [state] = conversationId
          ? await sql<
              { controller: string }[]
            >`select controller from whatsapp_conversations where id = ${conversationId}`
          : []
        if (state && state.controller !== 'bot') break
        if (messages.length > before || Date.now() > end) break
        await new Promise((r) => setTimeout(r, 250))
      }
      const [state] = conversationId
        ? await sql<
            { controller: string }[]
          >`select controller from whatsapp_conversations where id = ${conversationId}`
        : []
      if (state && state.controller !== 'bot') {
        console.log(`\n— the conversation is now with ${state.controller === 'human' ? 'a person' : 'nobody'}`)
        break
      }
    }
    if (conversationId) {
      const [lead] = await sql<
        { name: string; score: number | null; temperature: string | null; summary: string | null }[]
      >`
        select l.name, l.qualification_score as score, l.temperature, l.ai_summary as summary
        from whatsapp_conversations c join leads l on l.id = c.lead_id where c.id = ${conversationId}`
      if (lead)
        console.log(
          `\nlead ${lead.name}: score ${lead.score ?? '—'}, ${lead.temperature ?? 'no temperature'}\n${lead.summary ?? '(nothing known yet)'}`,
        )
    }
  } finally {
    await sql.end()
  }
} catch (e) {
  console.error((e as Error).message)
  process.exitCode = 1
}
