/**
 * The `connection` of a data source payload, per handler and per authentication method, from
 * Immuta's "Data source payload attribute details" pages. What those pages do not say is ours:
 * marked [ours] here, and listed with the project's other choices in `src/server/choices.ts`.
 * `unchecked` is the way out when a tenant knows better.
 */
import { UNCHECKED } from "../unchecked";
import {
  bool,
  list,
  oneOf,
  plainString,
  text,
  uncheckable,
  uncheckedMarker,
  whenEquals,
  type JsonSchema,
} from "./build";

interface Method {
  /** Fields the method requires. */
  readonly requires: readonly string[];
  /** Requirements that depend on `useCertificate` (OAuth client credentials). */
  readonly oauth?: true;
}

interface Handler {
  /** Fields beyond the host fields, with their schemas. */
  readonly fields: Record<string, JsonSchema>;
  /** Fields required whatever the method. */
  readonly required: readonly string[];
  /** Authentication methods (`authenticationMethod`) and what each requires. */
  readonly methods?: Record<string, Method>;
  /** The method assumed when `authenticationMethod` is absent. */
  readonly defaultMethod?: string;
}

const port: JsonSchema = { type: "integer", minimum: 1, maximum: 65535 };

/** Fields every handler takes (BigQuery requires none of them: it has no host). */
const hostFields: Record<string, JsonSchema> = {
  ssl: bool,
  hostname: text,
  port,
  database: text,
  schema: text,
  connectionStringOptions: text,
};

/** `userFiles`, whose `keyName` is one of `keyNames` when Immuta documents which. */
function userFiles(keyNames?: readonly string[]): JsonSchema {
  const name = keyNames ? oneOf(...keyNames) : plainString;
  return list(
    {
      type: "object",
      properties: {
        keyName: name,
        key: name,
        content: text,
        userFilename: plainString,
        fileName: plainString,
      },
      required: ["content"],
      additionalProperties: false,
    },
    { minItems: 1 },
  );
}

const credentials = { username: text, password: text };

const oauthFields = {
  useCertificate: bool,
  clientId: text,
  clientSecret: text,
  audience: text,
  scope: text,
};

const USER_PASSWORD: Method = { requires: ["username", "password"] };
const OAUTH: Method = { requires: ["useCertificate", "clientId"], oauth: true };
/** Trino's and Presto's methods, as Immuta spells them. */
const TRINO_METHODS: Record<string, Method> = {
  "No Authentication": { requires: [] },
  "LDAP Authentication": USER_PASSWORD,
  // [ours] a Kerberos principal is a user name.
  "Kerberos Authentication": { requires: ["username"] },
};
/** Trino, and Presto. */
const TRINO: Handler = {
  fields: {
    authenticationMethod: oneOf(...Object.keys(TRINO_METHODS)),
    ...credentials,
    userFiles: userFiles(),
  },
  required: ["hostname", "database"],
  methods: TRINO_METHODS,
  defaultMethod: "No Authentication",
};
/** [ours] Handlers whose documentation names no method: a user name and password. */
const USER_PASSWORD_HANDLER: Handler = {
  fields: { authenticationMethod: oneOf("userPassword"), ...credentials, userFiles: userFiles() },
  required: ["hostname", "database"],
  methods: { userPassword: USER_PASSWORD },
  defaultMethod: "userPassword",
};

/**
 * The handlers, by the value of `handler`. Names follow Immuta's V2 list (Databricks, Google
 * BigQuery, Presto, Redshift, Snowflake, Trino) and its V1 handler names for the rest [ours].
 * `hostname` and `database` are required of every handler with a host [ours]: Snowflake's table
 * marks both required, and Immuta tells connections apart by them.
 */
export const HANDLERS: Record<string, Handler> = {
  Snowflake: {
    fields: {
      warehouse: text,
      authenticationMethod: oneOf(
        "userPassword",
        "keyPair",
        "oAuthClientCredentials",
        "PRIV_KEY_FILE",
      ),
      ...credentials,
      ...oauthFields,
      userFiles: userFiles(["PRIV_KEY_FILE", "oauth client certificate"]),
    },
    required: ["hostname", "database", "warehouse", "authenticationMethod"],
    methods: {
      userPassword: USER_PASSWORD,
      keyPair: { requires: ["username", "userFiles"] },
      // The older pages' name for keyPair.
      PRIV_KEY_FILE: { requires: ["username", "userFiles"] },
      oAuthClientCredentials: OAUTH,
    },
  },
  Databricks: {
    fields: {
      httpPath: text,
      authenticationMethod: oneOf("token", "oAuthM2M"),
      ...credentials,
      ...oauthFields,
      userFiles: userFiles(),
    },
    required: ["hostname", "database", "httpPath"],
    // A personal access token goes in `password`; "no username is required".
    methods: { token: { requires: ["password"] }, oAuthM2M: OAUTH },
    // [ours] the older pages have no authenticationMethod for Databricks: a token.
    defaultMethod: "token",
  },
  Redshift: USER_PASSWORD_HANDLER,
  PostgreSQL: USER_PASSWORD_HANDLER,
  "Azure Synapse Analytics": USER_PASSWORD_HANDLER,
  "Google BigQuery": {
    // "Does not require hostname and password. Requires sid ... and userFiles".
    fields: { sid: text, userFiles: userFiles(["KeyFilePath"]) },
    required: ["sid", "userFiles"],
  },
  "Amazon Athena": {
    fields: {
      region: text,
      queryResultLocationBucket: text,
      queryResultLocationDirectory: text,
      authenticationMethod: oneOf("none", "accessKey", "instanceRole"),
      ...credentials,
      userFiles: userFiles(),
    },
    required: ["hostname", "database", "region", "queryResultLocationBucket"],
    // accessKey: the access key id in `username`, the secret key in `password`.
    methods: { none: { requires: [] }, accessKey: USER_PASSWORD, instanceRole: { requires: [] } },
    defaultMethod: "accessKey",
  },
  Trino: TRINO,
  // [ours] Presto as Trino, its successor.
  Presto: TRINO,
  Hadoop: {
    fields: {
      authenticationMethod: oneOf(
        "none",
        "userPassword",
        "hdInsight",
        "kerberos",
        "kerberosHdInsight",
        "emr",
      ),
      ...credentials,
      userFiles: userFiles(),
    },
    required: ["hostname", "database"],
    methods: {
      none: { requires: [] },
      userPassword: USER_PASSWORD,
      hdInsight: USER_PASSWORD,
      kerberos: { requires: ["username"] },
      kerberosHdInsight: { requires: ["username"] },
      emr: { requires: [] },
    },
    defaultMethod: "none",
  },
};

export const HANDLER_NAMES = Object.keys(HANDLERS);

/** OAuth client credentials: a certificate in `userFiles`, or else a client secret. */
const oauthRequirements: JsonSchema[] = [
  whenEquals("useCertificate", true, { required: ["userFiles"] }, false),
  whenEquals("useCertificate", false, { required: ["clientSecret"] }, false),
];

function methodRequirements(handler: Handler): JsonSchema[] {
  const methods = Object.entries(handler.methods ?? {});
  return methods
    .filter(([, method]) => method.requires.length > 0)
    .map(([name, method]) =>
      whenEquals(
        "authenticationMethod",
        name,
        {
          required: [...method.requires],
          ...(method.oauth ? { allOf: oauthRequirements } : {}),
        },
        // The default method also applies when no method is given.
        name === handler.defaultMethod,
      ),
    );
}

function handlerSchema(name: string, handler: Handler): JsonSchema {
  const requirements = methodRequirements(handler);
  return {
    type: "object",
    properties: {
      handler: { const: name },
      ...hostFields,
      ...handler.fields,
      [UNCHECKED]: uncheckedMarker,
    },
    required: ["handler", ...handler.required],
    additionalProperties: false,
    ...(requirements.length > 0 ? { allOf: requirements } : {}),
  };
}

/**
 * By `handler`, then by `authenticationMethod`. The fields every handler shares are typed at the
 * top as well, so that they are checked even when the handler is not one we know (the embedded
 * server lets those through; see `OPEN_OBJECTS`).
 */
export const connectionSchema: JsonSchema = uncheckable(
  {
    type: "object",
    required: ["handler"],
    properties: {
      // Not empty even where unknown handlers are let through (the server's mode).
      handler: { ...oneOf(...HANDLER_NAMES), minLength: 1 },
      ...hostFields,
      username: text,
      password: text,
      authenticationMethod: plainString,
    },
    allOf: Object.entries(HANDLERS).map(([name, handler]) =>
      whenEquals("handler", name, handlerSchema(name, handler), false),
    ),
  },
  // An unchecked connection still names its handler: Immuta and the server need one.
  {
    type: "object",
    required: ["handler"],
    properties: { handler: { type: "string", minLength: 1 } },
  },
);
