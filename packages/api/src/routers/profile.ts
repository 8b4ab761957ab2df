import type { TRPCRouterRecord } from '@trpc/server'
import { TRPCError } from '@trpc/server'
import { isCommonPassword } from '../auth/passwords'
import { invalidField } from '../errors'
import {
  ZChangePasswordInput,
  ZRevokeSessionInput,
  ZSetLocaleInput,
  ZSetThemeInput,
  ZUpdateProfileInput,
} from '../schemas'
import { getMe, setLocale, setTheme, updateProfile } from '../services'
import { authedProcedure } from '../trpc'

export const profileRouter = {
  me: authedProcedure.query(({ ctx }) => getMe(ctx)),
  update: authedProcedure.input(ZUpdateProfileInput).mutation(({ ctx, input }) => updateProfile(ctx, input)),
  setLocale: authedProcedure.input(ZSetLocaleInput).mutation(({ ctx, input }) => setLocale(ctx, input)),
  setTheme: authedProcedure.input(ZSetThemeInput).mutation(({ ctx, input }) => setTheme(ctx, input)),
  changePassword: authedProcedure.input(ZChangePasswordInput).mutation(async ({ ctx, input }) => {
    if (isCommonPassword(input.password)) throw invalidField('password', 'validation.passwordCommon')
    const r = await ctx.auth.changePassword(ctx.request, ctx.identity, input.currentPassword, input.password)
    if (!r.ok) throw invalidField('currentPassword', 'profile.currentPasswordWrong')
    return { ok: true as const }
  }),
  sessions: authedProcedure.query(({ ctx }) => ctx.auth.listSessions(ctx.identity)),
  revokeSession: authedProcedure.input(ZRevokeSessionInput).mutation(async ({ ctx, input }) => {
    const ok = await ctx.auth.revokeSession(ctx.identity, input.sessionId)
    if (!ok) throw new TRPCError({ code: 'NOT_FOUND', message: 'errors.notFound' })
    return { ok: true as const }
  }),
} satisfies TRPCRouterRecord
