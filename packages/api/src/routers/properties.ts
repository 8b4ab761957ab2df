import type { TRPCRouterRecord } from '@trpc/server'
import {
  ZCreatePropertyInput,
  ZListPropertiesInput,
  ZPhotoIdInput,
  ZPickPropertiesInput,
  ZPropertyIdInput,
  ZReorderPhotosInput,
  ZSetCoverInput,
  ZSetPropertyStatusInput,
  ZUpdatePropertyInput,
} from '../schemas'
import {
  createProperty,
  deleteProperty,
  deletePropertyPhoto,
  getProperty,
  listProperties,
  listPropertyTrash,
  pickProperties,
  reorderPropertyPhotos,
  restoreProperty,
  setCoverPhoto,
  setPropertyStatus,
  updateProperty,
} from '../services'
import { permitted } from '../trpc'

/** Photo uploads and downloads are HTTP routes of the web app (multipart and binary), calling the same services. */
export const propertiesRouter = {
  list: permitted('records.read')
    .input(ZListPropertiesInput)
    .query(({ ctx, input }) => listProperties({ db: ctx.db, actor: ctx.actor, input })),
  pick: permitted('records.read')
    .input(ZPickPropertiesInput)
    .query(({ ctx, input }) => pickProperties({ db: ctx.db, actor: ctx.actor, q: input.q })),
  get: permitted('records.read')
    .input(ZPropertyIdInput)
    .query(({ ctx, input }) => getProperty({ db: ctx.db, actor: ctx.actor, id: input.id })),
  create: permitted('records.write')
    .input(ZCreatePropertyInput)
    .mutation(({ ctx, input }) => createProperty({ db: ctx.db, actor: ctx.actor, data: input.data })),
  update: permitted('records.write')
    .input(ZUpdatePropertyInput)
    .mutation(({ ctx, input }) => updateProperty({ db: ctx.db, actor: ctx.actor, id: input.id, data: input.data })),
  setStatus: permitted('records.write')
    .input(ZSetPropertyStatusInput)
    .mutation(({ ctx, input }) =>
      setPropertyStatus({ db: ctx.db, actor: ctx.actor, id: input.id, status: input.status }),
    ),
  reorderPhotos: permitted('records.write')
    .input(ZReorderPhotosInput)
    .mutation(({ ctx, input }) =>
      reorderPropertyPhotos({ db: ctx.db, actor: ctx.actor, propertyId: input.propertyId, photoIds: input.photoIds }),
    ),
  setCover: permitted('records.write')
    .input(ZSetCoverInput)
    .mutation(({ ctx, input }) => setCoverPhoto({ db: ctx.db, actor: ctx.actor, photoId: input.photoId })),
  deletePhoto: permitted('records.write')
    .input(ZPhotoIdInput)
    .mutation(({ ctx, input }) => deletePropertyPhoto({ db: ctx.db, actor: ctx.actor, photoId: input.id })),
  delete: permitted('records.delete')
    .input(ZPropertyIdInput)
    .mutation(({ ctx, input }) => deleteProperty({ db: ctx.db, actor: ctx.actor, id: input.id })),
  restore: permitted('records.delete')
    .input(ZPropertyIdInput)
    .mutation(({ ctx, input }) => restoreProperty({ db: ctx.db, actor: ctx.actor, id: input.id })),
  trash: permitted('records.delete').query(({ ctx }) => listPropertyTrash({ db: ctx.db, actor: ctx.actor })),
} satisfies TRPCRouterRecord
