import type { TRPCRouterRecord } from '@trpc/server'
import { ZChangeRoleInput, ZInvitationIdInput, ZInviteMemberInput, ZMembershipIdInput } from '../schemas'
import {
  changeMemberRole,
  deactivateMember,
  inviteMember,
  listInvitations,
  listMembers,
  reactivateMember,
  resendInvitation,
  revokeInvitation,
} from '../services'
import { permitted } from '../trpc'

export const membersRouter = {
  list: permitted('members.read').query(({ ctx }) => listMembers(ctx)),
  invitations: permitted('members.invite').query(({ ctx }) => listInvitations(ctx)),
  invite: permitted('members.invite')
    .input(ZInviteMemberInput)
    .mutation(({ ctx, input }) => inviteMember(ctx, input)),
  resendInvitation: permitted('members.invite')
    .input(ZInvitationIdInput)
    .mutation(({ ctx, input }) => resendInvitation(ctx, input)),
  revokeInvitation: permitted('members.invite')
    .input(ZInvitationIdInput)
    .mutation(({ ctx, input }) => revokeInvitation(ctx, input)),
  changeRole: permitted('members.update')
    .input(ZChangeRoleInput)
    .mutation(({ ctx, input }) => changeMemberRole(ctx, input)),
  deactivate: permitted('members.update')
    .input(ZMembershipIdInput)
    .mutation(({ ctx, input }) => deactivateMember(ctx, input)),
  reactivate: permitted('members.update')
    .input(ZMembershipIdInput)
    .mutation(({ ctx, input }) => reactivateMember(ctx, input)),
} satisfies TRPCRouterRecord
