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
    .query(({ ctx, input }) => listClients({ db: ctx.db, actor: ctx.actor, input })),
  pick: permitted('records.read')
    .input(ZPickClientsInput)
    .query(({ ctx, input }) => pickClients({ db: ctx.db, actor: ctx.actor, q: input.q })),
  get: permitted('records.read')
    .input(ZClientIdInput)
    .query(({ ctx, input }) => getClient({ db: ctx.db, actor: ctx.actor, id: input.id })),
  create: permitted('records.write')
    .input(ZCreateClientInput)
    .mutation(({ ctx, input }) => createClient({ db: ctx.db, actor: ctx.actor, data: input.data })),
  update: permitted('records.write')
    .input(ZUpdateClientInput)
    .mutation(({ ctx, input }) => updateClient({ db: ctx.db, actor: ctx.actor, id: input.id, data: input.data })),
  delete: permitted('records.delete')
    .input(ZClientIdInput)
    .mutation(({ ctx, input }) => deleteClient({ db: ctx.db, actor: ctx.actor, id: input.id })),
  restore: permitted('records.delete')
    .input(ZClientIdInput)
    .mutation(({ ctx, input }) => restoreClient({ db: ctx.db, actor: ctx.actor, id: input.id })),
  trash: permitted('records.delete').query(({ ctx }) => listClientTrash({ db: ctx.db, actor: ctx.actor })),
  addNote: permitted('records.write')
    .input(ZAddClientNoteInput)
    .mutation(({ ctx, input }) =>
      addClientNote({ db: ctx.db, actor: ctx.actor, clientId: input.clientId, body: input.body }),
    ),
  updateNote: permitted('records.write')
    .input(ZUpdateClientNoteInput)
    .mutation(({ ctx, input }) => updateClientNote({ db: ctx.db, actor: ctx.actor, id: input.id, body: input.body })),
  deleteNote: permitted('records.write')
    .input(ZClientNoteIdInput)
    .mutation(({ ctx, input }) => deleteClientNote({ db: ctx.db, actor: ctx.actor, id: input.id })),
} satisfies TRPCRouterRecord
