/**
 * Composition: a payload taking a value from another Terraform resource. Here a `terraform_data`
 * stands in for a database (an `aws_db_instance`, a `snowflake_database`, ...): the data source's
 * hostname is its address, known only once it exists. The plan shows the dependency, the POST
 * carries the resolved value, and Terraform creates the database first.
 */
import { App, LocalBackend, TerraformStack } from "cdktf";
import { DataSource, ImmutaProvider, Project, Purpose, Secret, TerraformData } from "cdktf-immuta";

const app = new App();
const stack = new TerraformStack(app, "composition");
new LocalBackend(stack, { path: "terraform.tfstate" });
new ImmutaProvider(stack, "immuta");

// Stands in for a cloud database resource; swap in your provider's resource.
const database = new TerraformData(stack, "database", {
  input: { address: "dwh.internal.example", name: "ANALYTICS" },
});

const warehouse = new DataSource(stack, "warehouse", {
  connectionKey: "internal-warehouse",
  connection: {
    handler: "Snowflake",
    hostname: database.getStringAttribute("output.address"),
    database: "ANALYTICS",
    warehouse: "COMPUTE_WH",
    authenticationMethod: "userPassword",
    username: "IMMUTA_SYSTEM",
    // Read from the environment of `cdktf deploy`, never written to a file or the state.
    password: Secret.fromEnv("DWH_PASSWORD"),
  },
  sources: [{ table: "customers", schema: "public" }],
});

const research = new Purpose(stack, "research", { name: "Research" });

new Project(stack, "analytics", {
  projectKey: "analytics",
  name: "Analytics",
  purposes: [research],
  datasources: [warehouse.dataSourceName("public", "customers")],
});

app.synth();
