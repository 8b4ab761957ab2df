import { purgeTrashJob } from '@impera/api/jobs'
import { expireAgencyExports, purgeImportFiles, trashCutoff } from '@impera/api/services'
import {
  agencies,
  and,
  clients,
  inArray,
  isNotNull,
  leads,
  lt,
  properties,
  propertyPhotos,
  withAgency,
} from '@impera/db'
import { defineJob } from '../define-job'

/**
 * Daily: records deleted more than 30 days ago leave the trash for good. Runs agency by agency in each one's tenant
 * context, so even the worker's deletes pass through row-level security. Photo files go after their rows commit, with
 * the files of imports older than 30 days and of agency exports past their 7 days.
 */
export const purgeTrash = defineJob(purgeTrashJob, async (_payload, { db, storage, log }) => {
  const cutoff = trashCutoff()
  const all = await db.select({ id: agencies.id }).from(agencies)
  const purged = { leads: 0, clients: 0, properties: 0, files: 0 }
  for (const { id } of all) {
    const files = await withAgency(db, { agencyId: id, userId: null }, async (tx) => {
      purged.leads += (
        await tx
          .delete(leads)
          .where(and(isNotNull(leads.deletedAt), lt(leads.deletedAt, cutoff)))
          .returning({ id: leads.id })
      ).length
      const gone = await tx
        .select({ id: properties.id })
        .from(properties)
        .where(and(isNotNull(properties.deletedAt), lt(properties.deletedAt, cutoff)))
      const photoKeys = gone.length
        ? await tx
            .select({ a: propertyPhotos.storageKey, b: propertyPhotos.thumbKey })
            .from(propertyPhotos)
            .where(
              inArray(
                propertyPhotos.propertyId,
                gone.map((p) => p.id),
              ),
            )
        : []
      if (gone.length)
        await tx.delete(properties).where(
          inArray(
            properties.id,
            gone.map((p) => p.id),
          ),
        )
      purged.properties += gone.length
      const goneClients = await tx
        .select({ id: clients.id })
        .from(clients)
        .where(and(isNotNull(clients.deletedAt), lt(clients.deletedAt, cutoff)))
      if (goneClients.length) {
        const ids = goneClients.map((c) => c.id)
        // Leads keep their history and properties stay listed; only the link to the purged client goes.
        await tx.update(leads).set({ clientId: null }).where(inArray(leads.clientId, ids))
        await tx.update(properties).set({ ownerClientId: null }).where(inArray(properties.ownerClientId, ids))
        await tx.delete(clients).where(inArray(clients.id, ids))
      }
      purged.clients += goneClients.length
      return photoKeys.flatMap((k) => [k.a, k.b])
    })
    // Import files are kept 30 days for the report and a re-run (decision 024), then go like the trash.
    const importFiles = await purgeImportFiles({ db }, { agencyId: id })
    // Agency exports are kept 7 days (decision 041).
    const exportFiles = await expireAgencyExports({ db }, { agencyId: id })
    await storage.delete([...files, ...importFiles, ...exportFiles])
    purged.files += files.length + importFiles.length + exportFiles.length
  }
  log.info(purged, 'trash purged')
})
