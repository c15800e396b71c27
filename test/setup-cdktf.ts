// cdktf's jest matchers (toHaveResourceWithProperties, toBeValidTerraform, ...), with their types.
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

Testing.setupJest();
