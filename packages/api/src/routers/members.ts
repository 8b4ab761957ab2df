import type { TRPCRouterRecord } from '@trpc/server'
import { ZChangeRoleInput, ZInvitationIdInput, ZInviteMemberInput, ZMembershipIdInput } from '../schemas'
import {
  changeMemberRole,
  inviteMember,
  listInvitations,
  listMembers,
  resendInvitation,
  revokeInvitation,
  setMemberStatus,
} from '../services'
import { permitted } from '../trpc'

export const membersRouter = {
  list: permitted('members.read').query(({ ctx }) => listMembers({ db: ctx.db, actor: ctx.actor })),
  invitations: permitted('members.invite').query(({ ctx }) => listInvitations({ db: ctx.db, actor: ctx.actor })),
  invite: permitted('members.invite')
    .input(ZInviteMemberInput)
    .mutation(({ ctx, input }) => inviteMember({ db: ctx.db, actor: ctx.actor, input, origin: ctx.urls.origin })),
  resendInvitation: permitted('members.invite')
    .input(ZInvitationIdInput)
    .mutation(({ ctx, input }) =>
      resendInvitation({ db: ctx.db, actor: ctx.actor, invitationId: input.invitationId, origin: ctx.urls.origin }),
    ),
  revokeInvitation: permitted('members.invite')
    .input(ZInvitationIdInput)
    .mutation(({ ctx, input }) => revokeInvitation({ db: ctx.db, actor: ctx.actor, invitationId: input.invitationId })),
  changeRole: permitted('members.update')
    .input(ZChangeRoleInput)
    .mutation(({ ctx, input }) => changeMemberRole({ db: ctx.db, actor: ctx.actor, input })),
  deactivate: permitted('members.update')
    .input(ZMembershipIdInput)
    .mutation(({ ctx, input }) =>
      setMemberStatus({ db: ctx.db, actor: ctx.actor, membershipId: input.membershipId, status: 'deactivated' }),
    ),
  reactivate: permitted('members.update')
    .input(ZMembershipIdInput)
    .mutation(({ ctx, input }) =>
      setMemberStatus({ db: ctx.db, actor: ctx.actor, membershipId: input.membershipId, status: 'active' }),
    ),
} satisfies TRPCRouterRecord
