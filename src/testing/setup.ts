/**
 * A jest setup file: `setupFilesAfterEnv: ["cdktf-immuta/testing/setup"]` in the jest config
 * registers the access matchers for every test file.
 */
import { registerAccessMatchers } from "./register";

registerAccessMatchers();
