/**
 * The `connection` of a data source payload, one type per handler and, within a handler, per
 * authentication method, so that an editor completes the fields of the technology at hand and a
 * misspelt field is a type error. Field names are Immuta's. `./schema/connection.ts` describes the
 * same shapes for validation; `test/payload/types.test.ts` keeps the two in step.
 */
import type { Text } from "./types";
import type { Unchecked } from "./unchecked";

export interface UserFile {
  /** The connection option the file maps to (`PRIV_KEY_FILE`, `KeyFilePath`); Immuta's Terraform provider calls it `key`. */
  readonly keyName?: string;
  readonly key?: string;
  /** Base64 content of the file. Never printed, never read back. */
  readonly content: Text;
  /** Display name of the file; Immuta's Terraform provider calls it `fileName`. */
  readonly userFilename?: string;
  readonly fileName?: string;
}

/** Fields every handler takes (BigQuery aside, it needs no hostname). */
type Host = {
  /** Set to true to talk to the remote database over SSL. */
  readonly ssl?: boolean;
  readonly hostname: Text;
  readonly port?: number;
  readonly database: Text;
  readonly schema?: Text;
  /** Further connection-string options for the driver. */
  readonly connectionStringOptions?: Text;
};

type Credentials = { readonly username?: Text; readonly password?: Text };
type UserPassword = { readonly username: Text; readonly password: Text };

/** OAuth client credentials: a client secret, or a certificate given in `userFiles`. */
type OAuthClient = {
  readonly clientId: Text;
  readonly audience?: Text;
  readonly scope?: Text;
} & (
  | { readonly useCertificate: false; readonly clientSecret: Text }
  | { readonly useCertificate: true; readonly userFiles: readonly UserFile[] }
);

type OAuthFields = {
  readonly useCertificate?: boolean;
  readonly clientId?: Text;
  readonly clientSecret?: Text;
  readonly audience?: Text;
  readonly scope?: Text;
};

type Files = { readonly userFiles?: readonly UserFile[] };

// ------------------------------------------------------------------------------------- handlers

type SnowflakeBase = Host &
  Credentials &
  OAuthFields &
  Files & {
    readonly handler: "Snowflake";
    /** The compute Immuta runs its queries on. */
    readonly warehouse: Text;
  };

export type SnowflakeConnection =
  | (SnowflakeBase & { readonly authenticationMethod: "userPassword" } & UserPassword)
  | (SnowflakeBase & {
      /** `PRIV_KEY_FILE` is the older documentation's name for `keyPair`. */
      readonly authenticationMethod: "keyPair" | "PRIV_KEY_FILE";
      readonly username: Text;
      /** The private key, with `keyName: PRIV_KEY_FILE`. */
      readonly userFiles: readonly UserFile[];
    })
  | (SnowflakeBase & { readonly authenticationMethod: "oAuthClientCredentials" } & OAuthClient);

type DatabricksBase = Host &
  Credentials &
  OAuthFields &
  Files & {
    readonly handler: "Databricks";
    /** The HTTP path of the cluster or SQL warehouse. */
    readonly httpPath: Text;
  };

export type DatabricksConnection =
  | (DatabricksBase & {
      /** @default "token" */
      readonly authenticationMethod?: "token";
      /** The personal access token. */
      readonly password: Text;
    })
  | (DatabricksBase & { readonly authenticationMethod: "oAuthM2M" } & OAuthClient);

/** Connected with a user name and password: Redshift, PostgreSQL, Azure Synapse Analytics. */
export type UserPasswordConnection = Host &
  Files &
  UserPassword & {
    readonly handler: "Redshift" | "PostgreSQL" | "Azure Synapse Analytics";
    /** @default "userPassword" */
    readonly authenticationMethod?: "userPassword";
  };

export type BigQueryConnection = Partial<Host> & {
  readonly handler: "Google BigQuery";
  /** The GCP project id. */
  readonly sid: Text;
  /** The service account's key file, with `keyName: KeyFilePath`. */
  readonly userFiles: readonly UserFile[];
};

type AthenaBase = Host &
  Credentials &
  Files & {
    readonly handler: "Amazon Athena";
    readonly region: Text;
    readonly queryResultLocationBucket: Text;
    readonly queryResultLocationDirectory?: Text;
  };

export type AthenaConnection =
  | (AthenaBase & {
      /** `username` is the access key id, `password` the secret access key. @default "accessKey" */
      readonly authenticationMethod?: "accessKey";
    } & UserPassword)
  | (AthenaBase & { readonly authenticationMethod: "none" | "instanceRole" });

type TrinoBase = Host &
  Credentials &
  Files & {
    readonly handler: "Trino" | "Presto";
  };

export type TrinoConnection =
  | (TrinoBase & { readonly authenticationMethod?: "No Authentication" })
  | (TrinoBase & { readonly authenticationMethod: "LDAP Authentication" } & UserPassword)
  | (TrinoBase & {
      readonly authenticationMethod: "Kerberos Authentication";
      readonly username: Text;
    });

type HadoopBase = Host & Credentials & Files & { readonly handler: "Hadoop" };

export type HadoopConnection =
  | (HadoopBase & { readonly authenticationMethod?: "none" | "emr" })
  | (HadoopBase & { readonly authenticationMethod: "userPassword" | "hdInsight" } & UserPassword)
  | (HadoopBase & {
      readonly authenticationMethod: "kerberos" | "kerberosHdInsight";
      readonly username: Text;
    });

/**
 * A connection the validator skips, made with `unchecked({ ... })`: for a handler or a field our
 * schemas do not know yet. It still names its handler; the few fields typed here are the ones
 * whose meaning is the same for every handler.
 */
export type UncheckedConnection = Unchecked & {
  readonly handler: string;
  readonly hostname?: Text;
  readonly port?: number;
  readonly database?: Text;
};

/** Connection details, by `handler`. */
export type Connection =
  | SnowflakeConnection
  | DatabricksConnection
  | UserPasswordConnection
  | BigQueryConnection
  | AthenaConnection
  | TrinoConnection
  | HadoopConnection
  | UncheckedConnection;
