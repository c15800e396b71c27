import type { IResolvable } from "cdktf";
import { Token, Tokenization } from "../../providers/cdk";
import { escapeTemplate } from "../../providers/terraform-values";
import type { DataSource } from "./data-source";

/**
 * The name of one data source of a `DataSource` construct, as a string that also remembers where
 * it came from: a `Project` naming it depends on that construct, so Terraform creates the data
 * source first and deletes it last.
 */
export class DataSourceNameReference implements IResolvable {
  readonly creationStack: string[] = [];

  constructor(
    readonly dataSource: DataSource,
    readonly name: string,
  ) {}

  resolve(): string {
    return escapeTemplate(this.name);
  }

  toString(): string {
    return Token.asString(this);
  }

  /** The reference a string stands for, when it is exactly one. */
  static from(value: string): DataSourceNameReference | undefined {
    if (!Token.isUnresolved(value)) return undefined;
    const fragments = Tokenization.reverseString(value);
    const token = fragments.firstToken;
    return fragments.length === 1 && token instanceof DataSourceNameReference ? token : undefined;
  }
}
