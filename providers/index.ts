export { ImmutaProvider, type ImmutaProviderProps } from "./immuta-provider";
export { TerraformData, type TerraformDataConfig } from "./terraform-data";
export type { CarrierName } from "./carrier";
