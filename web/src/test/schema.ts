// The real manifest schema, as GET /v1/schema serves it, for component tests.
import schemaJson from "../../../src/studioflow/schema/fibo_schema.json";
import type { Schema } from "../lib/schema";

export const schema = schemaJson as unknown as Schema;
