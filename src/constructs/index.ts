export { DataSource, type DataSourceProps } from "./data-source";
export { GlobalPolicy, type GlobalPolicyProps, type GlobalPolicyOptions } from "./global-policy";
export { ImmutaObject, type ImmutaObjectOptions } from "./immuta-object";
export { Project, type ProjectProps } from "./project";
export { Purpose, type PurposeProps, type PurposeReference } from "./purpose";
export { Secret } from "./secret";
export { PayloadDirectory, type PayloadDirectoryProps } from "./payload-directory";
