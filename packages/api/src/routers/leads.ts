import type { TRPCRouterRecord } from '@trpc/server'
import {
  ZAddLeadNoteInput,
  ZAssignLeadInput,
  ZConvertLeadInput,
  ZCreateLeadInput,
  ZLeadPropertyInput,
  ZLeadIdInput,
  ZLeadNoteIdInput,
  ZListLeadsInput,
  ZSetLeadStatusInput,
  ZUpdateLeadInput,
  ZUpdateLeadNoteInput,
} from '../schemas'
import {
  addLeadNote,
  assignLead,
  convertLead,
  createLead,
  leadInterestsFor,
  linkLeadProperty,
  unlinkLeadProperty,
  deleteLead,
  deleteLeadNote,
  getLead,
  leadBoard,
  listAssignees,
  listLeads,
  listLeadTrash,
  restoreLead,
  setLeadStatus,
  updateLead,
  updateLeadNote,
} from '../services'
import { permitted } from '../trpc'

export const leadsRouter = {
  list: permitted('records.read')
    .input(ZListLeadsInput)
    .query(({ ctx, input }) => listLeads({ db: ctx.db, actor: ctx.actor, input })),
  board: permitted('records.read').query(({ ctx }) => leadBoard({ db: ctx.db, actor: ctx.actor })),
  get: permitted('records.read')
    .input(ZLeadIdInput)
    .query(({ ctx, input }) => getLead({ db: ctx.db, actor: ctx.actor, id: input.id })),
  assignees: permitted('records.read').query(({ ctx }) => listAssignees({ db: ctx.db, actor: ctx.actor })),
  create: permitted('records.write')
    .input(ZCreateLeadInput)
    .mutation(({ ctx, input }) =>
      createLead({ db: ctx.db, actor: ctx.actor, data: input.data, allowDuplicate: input.allowDuplicate }),
    ),
  update: permitted('records.write')
    .input(ZUpdateLeadInput)
    .mutation(({ ctx, input }) =>
      updateLead({
        db: ctx.db,
        actor: ctx.actor,
        id: input.id,
        data: input.data,
        allowDuplicate: input.allowDuplicate,
      }),
    ),
  setStatus: permitted('records.write')
    .input(ZSetLeadStatusInput)
    .mutation(({ ctx, input }) => setLeadStatus({ db: ctx.db, actor: ctx.actor, input })),
  assign: permitted('records.write')
    .input(ZAssignLeadInput)
    .mutation(({ ctx, input }) =>
      assignLead({ db: ctx.db, actor: ctx.actor, id: input.id, assignedTo: input.assignedTo }),
    ),
  convert: permitted('records.write')
    .input(ZConvertLeadInput)
    .mutation(({ ctx, input }) =>
      convertLead({ db: ctx.db, actor: ctx.actor, id: input.id, clientId: input.clientId }),
    ),
  interests: permitted('records.read')
    .input(ZLeadIdInput)
    .query(({ ctx, input }) => leadInterestsFor({ db: ctx.db, actor: ctx.actor, leadId: input.id })),
  linkProperty: permitted('records.write')
    .input(ZLeadPropertyInput)
    .mutation(({ ctx, input }) =>
      linkLeadProperty({ db: ctx.db, actor: ctx.actor, leadId: input.leadId, propertyId: input.propertyId }),
    ),
  unlinkProperty: permitted('records.write')
    .input(ZLeadPropertyInput)
    .mutation(({ ctx, input }) =>
      unlinkLeadProperty({ db: ctx.db, actor: ctx.actor, leadId: input.leadId, propertyId: input.propertyId }),
    ),
  delete: permitted('records.delete')
    .input(ZLeadIdInput)
    .mutation(({ ctx, input }) => deleteLead({ db: ctx.db, actor: ctx.actor, id: input.id })),
  restore: permitted('records.delete')
    .input(ZLeadIdInput)
    .mutation(({ ctx, input }) => restoreLead({ db: ctx.db, actor: ctx.actor, id: input.id })),
  trash: permitted('records.delete').query(({ ctx }) => listLeadTrash({ db: ctx.db, actor: ctx.actor })),
  addNote: permitted('records.write')
    .input(ZAddLeadNoteInput)
    .mutation(({ ctx, input }) =>
      addLeadNote({ db: ctx.db, actor: ctx.actor, leadId: input.leadId, body: input.body }),
    ),
  updateNote: permitted('records.write')
    .input(ZUpdateLeadNoteInput)
    .mutation(({ ctx, input }) => updateLeadNote({ db: ctx.db, actor: ctx.actor, id: input.id, body: input.body })),
  deleteNote: permitted('records.write')
    .input(ZLeadNoteIdInput)
    .mutation(({ ctx, input }) => deleteLeadNote({ db: ctx.db, actor: ctx.actor, id: input.id })),
} satisfies TRPCRouterRecord
