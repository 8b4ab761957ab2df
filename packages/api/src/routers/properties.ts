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
  ZSharePropertyInput,
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
  matchLeads,
  sendPropertyCard,
  shareProperty,
} from '../services'
import { permitted } from '../trpc'

/** Photo uploads and downloads are HTTP routes of the web app (multipart and binary), calling the same services. */
export const propertiesRouter = {
  list: permitted('records.read')
    .input(ZListPropertiesInput)
    .query(({ ctx, input }) => listProperties(ctx, input)),
  pick: permitted('records.read')
    .input(ZPickPropertiesInput)
    .query(({ ctx, input }) => pickProperties(ctx, input)),
  get: permitted('records.read')
    .input(ZPropertyIdInput)
    .query(({ ctx, input }) => getProperty(ctx, input)),
  /** The open leads this property suits, ranked, each with why (the property page's "leads que combinam"). */
  matches: permitted('records.read')
    .input(ZPropertyIdInput)
    .query(({ ctx, input }) => matchLeads(ctx, { propertyId: input.id, limit: 10 })),
  create: permitted('records.write')
    .input(ZCreatePropertyInput)
    .mutation(({ ctx, input }) => createProperty(ctx, input)),
  update: permitted('records.write')
    .input(ZUpdatePropertyInput)
    .mutation(({ ctx, input }) => updateProperty(ctx, input)),
  setStatus: permitted('records.write')
    .input(ZSetPropertyStatusInput)
    .mutation(({ ctx, input }) => setPropertyStatus(ctx, input)),
  reorderPhotos: permitted('records.write')
    .input(ZReorderPhotosInput)
    .mutation(({ ctx, input }) => reorderPropertyPhotos(ctx, input)),
  setCover: permitted('records.write')
    .input(ZSetCoverInput)
    .mutation(({ ctx, input }) => setCoverPhoto(ctx, input)),
  deletePhoto: permitted('records.write')
    .input(ZPhotoIdInput)
    .mutation(({ ctx, input }) => deletePropertyPhoto(ctx, input)),
  delete: permitted('records.delete')
    .input(ZPropertyIdInput)
    .mutation(({ ctx, input }) => deleteProperty(ctx, input)),
  restore: permitted('records.delete')
    .input(ZPropertyIdInput)
    .mutation(({ ctx, input }) => restoreProperty(ctx, input)),
  trash: permitted('records.delete').query(({ ctx }) => listPropertyTrash(ctx)),
  /** A public, expiring link to the listing for a lead (issue 16's sharing). */
  share: permitted('records.read')
    .input(ZSharePropertyInput)
    .mutation(({ ctx, input }) => shareProperty(ctx, input)),
  /** The listing as a card (title, price, place, link) in the lead's WhatsApp conversation. */
  sendCard: permitted('records.write')
    .input(ZSharePropertyInput)
    .mutation(({ ctx, input }) => sendPropertyCard(ctx, input)),
} satisfies TRPCRouterRecord
