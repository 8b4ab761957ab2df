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
  ZSetLeadQualificationInput,
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
  exportLeadsPage,
  listLeads,
  listLeadTrash,
  restoreLead,
  setLeadQualification,
  setLeadStatus,
  updateLead,
  updateLeadNote,
  matchProperties,
} from '../services'
import { permitted } from '../trpc'

export const leadsRouter = {
  list: permitted('records.read')
    .input(ZListLeadsInput)
    .query(({ ctx, input }) => listLeads(ctx, input)),
  /** The list as an export (CSV): same filters and visibility, a thousand rows a page, with the qualification. */
  exportPage: permitted('records.read')
    .input(ZListLeadsInput)
    .query(({ ctx, input }) => exportLeadsPage(ctx, input)),
  board: permitted('records.read').query(({ ctx }) => leadBoard(ctx)),
  get: permitted('records.read')
    .input(ZLeadIdInput)
    .query(({ ctx, input }) => getLead(ctx, input)),
  assignees: permitted('records.read').query(({ ctx }) => listAssignees(ctx)),
  create: permitted('records.write')
    .input(ZCreateLeadInput)
    .mutation(({ ctx, input }) => createLead(ctx, input)),
  update: permitted('records.write')
    .input(ZUpdateLeadInput)
    .mutation(({ ctx, input }) => updateLead(ctx, input)),
  setStatus: permitted('records.write')
    .input(ZSetLeadStatusInput)
    .mutation(({ ctx, input }) => setLeadStatus(ctx, input)),
  setQualification: permitted('records.write')
    .input(ZSetLeadQualificationInput)
    .mutation(({ ctx, input }) => setLeadQualification(ctx, input)),
  assign: permitted('records.write')
    .input(ZAssignLeadInput)
    .mutation(({ ctx, input }) => assignLead(ctx, input)),
  convert: permitted('records.write')
    .input(ZConvertLeadInput)
    .mutation(({ ctx, input }) => convertLead(ctx, input)),
  interests: permitted('records.read')
    .input(ZLeadIdInput)
    .query(({ ctx, input }) => leadInterestsFor(ctx, input)),
  /** Available properties ranked for the lead's criteria, each with why (the lead page's suggestions). */
  matches: permitted('records.read')
    .input(ZLeadIdInput)
    .query(({ ctx, input }) => matchProperties(ctx, { leadId: input.id, limit: 6 })),
  linkProperty: permitted('records.write')
    .input(ZLeadPropertyInput)
    .mutation(({ ctx, input }) => linkLeadProperty(ctx, input)),
  unlinkProperty: permitted('records.write')
    .input(ZLeadPropertyInput)
    .mutation(({ ctx, input }) => unlinkLeadProperty(ctx, input)),
  delete: permitted('records.delete')
    .input(ZLeadIdInput)
    .mutation(({ ctx, input }) => deleteLead(ctx, input)),
  restore: permitted('records.delete')
    .input(ZLeadIdInput)
    .mutation(({ ctx, input }) => restoreLead(ctx, input)),
  trash: permitted('records.delete').query(({ ctx }) => listLeadTrash(ctx)),
  addNote: permitted('records.write')
    .input(ZAddLeadNoteInput)
    .mutation(({ ctx, input }) => addLeadNote(ctx, input)),
  updateNote: permitted('records.write')
    .input(ZUpdateLeadNoteInput)
    .mutation(({ ctx, input }) => updateLeadNote(ctx, input)),
  deleteNote: permitted('records.write')
    .input(ZLeadNoteIdInput)
    .mutation(({ ctx, input }) => deleteLeadNote(ctx, input)),
} satisfies TRPCRouterRecord
