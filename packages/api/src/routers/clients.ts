import type { TRPCRouterRecord } from '@trpc/server'
import {
  ZAddClientNoteInput,
  ZClientIdInput,
  ZClientNoteIdInput,
  ZCreateClientInput,
  ZListClientsInput,
  ZPickClientsInput,
  ZUpdateClientInput,
  ZUpdateClientNoteInput,
} from '../schemas'
import {
  addClientNote,
  createClient,
  deleteClient,
  deleteClientNote,
  getClient,
  listClients,
  listClientTrash,
  pickClients,
  restoreClient,
  updateClient,
  updateClientNote,
} from '../services'
import { permitted } from '../trpc'

export const clientsRouter = {
  list: permitted('records.read')
    .input(ZListClientsInput)
    .query(({ ctx, input }) => listClients(ctx, input)),
  pick: permitted('records.read')
    .input(ZPickClientsInput)
    .query(({ ctx, input }) => pickClients(ctx, input)),
  get: permitted('records.read')
    .input(ZClientIdInput)
    .query(({ ctx, input }) => getClient(ctx, input)),
  create: permitted('records.write')
    .input(ZCreateClientInput)
    .mutation(({ ctx, input }) => createClient(ctx, input)),
  update: permitted('records.write')
    .input(ZUpdateClientInput)
    .mutation(({ ctx, input }) => updateClient(ctx, input)),
  delete: permitted('records.delete')
    .input(ZClientIdInput)
    .mutation(({ ctx, input }) => deleteClient(ctx, input)),
  restore: permitted('records.delete')
    .input(ZClientIdInput)
    .mutation(({ ctx, input }) => restoreClient(ctx, input)),
  trash: permitted('records.delete').query(({ ctx }) => listClientTrash(ctx)),
  addNote: permitted('records.write')
    .input(ZAddClientNoteInput)
    .mutation(({ ctx, input }) => addClientNote(ctx, input)),
  updateNote: permitted('records.write')
    .input(ZUpdateClientNoteInput)
    .mutation(({ ctx, input }) => updateClientNote(ctx, input)),
  deleteNote: permitted('records.write')
    .input(ZClientNoteIdInput)
    .mutation(({ ctx, input }) => deleteClientNote(ctx, input)),
} satisfies TRPCRouterRecord
