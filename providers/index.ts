export { ImmutaProvider, type ImmutaProviderProps } from "./immuta-provider";
export { TerraformData, type TerraformDataConfig } from "./terraform-data";
export type { CarrierName } from "./carrier";
export { CDK_PACKAGE, CDK_CHOICE_ENV, type CdkPackageName } from "./cdk";
