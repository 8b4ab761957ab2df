-- Hand-written (drizzle-kit cannot express INCLUDE): the inbox's label filter lists the labels the agency uses, with
-- how many conversations carry each. That read every conversation of the agency to unnest their labels, labelled or
-- not: 37 ms for the large seed's 60,000 conversations, on every inbox page, growing with the agency. Most
-- conversations carry no label; this index holds only those that do, with the columns the count reads (the labels and,
-- for agents who see only their own, the assignee), so the count is an index-only scan of the labelled ones. A partial
-- index's predicate is proved from the query's own condition, so it serves under row-level security too.
CREATE INDEX "whatsapp_conversations_agency_labelled_idx" ON "whatsapp_conversations" USING btree ("agency_id")
  INCLUDE ("labels", "assigned_to") WHERE "labels" <> '{}'::text[];
