/**
 * The catalog the server uses when given none: the connections of the demo and the examples.
 * `dwh.internal.example` sees the same tables as the Snowflake account, because the composition
 * example takes its hostname from another Terraform resource.
 */
import type { Catalog, CatalogSchemas } from "./types";

const analytics: CatalogSchemas = {
  public: {
    customers: ["id", "email", "name", "country", "created_at"],
    orders: ["id", "customer_id", "amount", "currency", "ordered_at"],
    payments: ["id", "order_id", "card_number", "amount"],
  },
  marketing: {
    campaigns: ["id", "name", "budget"],
    leads: ["id", "email", "phone", "campaign_id"],
  },
};

export const DEFAULT_CATALOG: Catalog = {
  connections: [
    { hostname: "acme.snowflakecomputing.com", database: "ANALYTICS", schemas: analytics },
    {
      hostname: "dbc-1234.cloud.databricks.com",
      database: "main",
      schemas: {
        data: {
          credit_card_transactions: ["transaction_date", "amount", "card_number", "merchant"],
          crime_data: ["date", "district", "type"],
        },
      },
    },
    { hostname: "dwh.internal.example", database: "ANALYTICS", schemas: analytics },
  ],
};
