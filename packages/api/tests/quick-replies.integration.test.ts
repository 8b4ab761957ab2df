import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeError } from '../src/error-shape'
import { buildWorld, outcome, type World } from './harness'

/**
 * Quick replies (issue 16's inbox) through the real router: the agency's kept by managers, each member's own, the
 * member's own winning over the agency's for the same shortcut, and variables filled per conversation.
 */
let w: World
beforeAll(async () => {
  w = await buildWorld()
})
afterAll(() => w?.t.close())

const manager = () => w.caller(w.a.manager, w.a.agencyId)
const agent = () => w.caller(w.a.agent, w.a.agencyId)

describe('quick replies', () => {
  it('fills the variables for the conversation, the member’s own first', async () => {
    await manager().quickReplies.save({
      shortcut: 'OLA',
      body: 'Olá, {{nome}}! Aqui é {{corretor}}, da {{imobiliaria}}.',
    })
    await manager().quickReplies.save({ shortcut: 'obrigado', body: 'Obrigado, {{ nome }}!' })
    await agent().quickReplies.save({ shortcut: 'obrigado', body: 'Valeu, {{nome}}!', personal: true })
    const suggestions = await agent().quickReplies.forConversation({ conversationId: w.a.conversationId, q: '' })
    expect(suggestions.map((s) => [s.shortcut, s.personal])).toEqual([
      ['obrigado', true],
      ['ola', false],
    ])
    const [ola] = await agent().quickReplies.forConversation({ conversationId: w.a.conversationId, q: 'ol' })
    // The conversation's lead is "Lead da Alfa": its first name.
    expect(ola!.text).toMatch(/^Olá, Lead! Aqui é .+, da Imobiliária Alfa\.$/)
    expect(
      (await manager().quickReplies.forConversation({ conversationId: w.a.conversationId, q: 'obr' }))[0]!.text,
    ).toBe('Obrigado, Lead!')
    // Another member's personal reply stays theirs.
    expect((await manager().quickReplies.list()).filter((r) => r.personal)).toEqual([])
  })

  it('keeps the agency’s replies to managers and refuses a bad or repeated shortcut', async () => {
    expect(await outcome(agent().quickReplies.save({ shortcut: 'geral', body: 'x' }))).toBe('FORBIDDEN')
    const agencyReply = (await agent().quickReplies.list()).find((r) => r.shortcut === 'ola')!
    expect(await outcome(agent().quickReplies.delete({ id: agencyReply.id }))).toBe('FORBIDDEN')
    expect(
      describeError(
        await manager()
          .quickReplies.save({ shortcut: 'com espaço', body: 'x' })
          .catch((e: unknown) => e),
      ).fieldErrors,
    ).toEqual({ shortcut: ['quickReplies.shortcutFormat'] })
    expect(
      describeError(
        await manager()
          .quickReplies.save({ shortcut: 'Ola', body: 'de novo' })
          .catch((e: unknown) => e),
      ).fieldErrors,
    ).toEqual({ shortcut: ['quickReplies.shortcutTaken'] })
    // Agency B sees none of A's, and cannot use them on A's conversation.
    expect(await w.caller(w.b.manager, w.b.agencyId).quickReplies.list()).toEqual([])
    expect(
      await outcome(
        w.caller(w.b.manager, w.b.agencyId).quickReplies.forConversation({ conversationId: w.a.conversationId, q: '' }),
      ),
    ).toBe('NOT_FOUND')
    const mine = (await agent().quickReplies.list()).find((r) => r.personal)!
    expect(await outcome(manager().quickReplies.delete({ id: mine.id }))).toBe('NOT_FOUND')
    await agent().quickReplies.delete({ id: mine.id })
  })
})
