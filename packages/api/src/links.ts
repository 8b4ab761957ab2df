/** The path of the page a notification points at: one definition for the bell (browser) and the e-mail digests. */
export function notificationPath(n: { entity: string; entityId: string }) {
  return n.entity === 'lead'
    ? `/app/leads/${n.entityId}`
    : n.entity === 'conversation'
      ? `/app/inbox/${n.entityId}`
      : n.entity === 'webhook_endpoint'
        ? `/app/settings/webhooks#endpoint-${n.entityId}`
        : n.entity === 'task'
          ? `/app/today#task-${n.entityId}`
          : n.entity === 'property'
            ? `/app/properties/${n.entityId}`
            : n.entity === 'bulk_operation'
              ? '/app/leads'
              : n.entity === 'lead_offer'
                ? `/app/today#offer-${n.entityId}`
                : '/app/members'
}
