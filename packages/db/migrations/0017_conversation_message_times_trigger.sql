-- Hand-written companion of 0016: keeps whatsapp_conversations.last_inbound_received_at / last_outbound_at from every
-- message insert (ingest, composer, templates, media, seeds), and backfills them. Unread counts and "waiting for a
-- reply" then compare two timestamps per conversation instead of scanning its messages.
CREATE FUNCTION "conversation_message_times"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.direction = 'inbound' THEN
    UPDATE whatsapp_conversations SET last_inbound_received_at = greatest(last_inbound_received_at, NEW.created_at)
    WHERE agency_id = NEW.agency_id AND id = NEW.conversation_id;
  ELSE
    UPDATE whatsapp_conversations SET last_outbound_at = greatest(last_outbound_at, NEW.created_at)
    WHERE agency_id = NEW.agency_id AND id = NEW.conversation_id;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "whatsapp_messages_conversation_times" AFTER INSERT ON "whatsapp_messages"
  FOR EACH ROW EXECUTE FUNCTION "conversation_message_times"();--> statement-breakpoint
UPDATE whatsapp_conversations c SET last_inbound_received_at = x.i, last_outbound_at = x.o FROM (
  SELECT agency_id, conversation_id, max(created_at) FILTER (WHERE direction = 'inbound') AS i, max(created_at) FILTER (WHERE direction = 'outbound') AS o
  FROM whatsapp_messages GROUP BY agency_id, conversation_id
) x WHERE c.agency_id = x.agency_id AND c.id = x.conversation_id;
