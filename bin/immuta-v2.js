#!/usr/bin/env node
"use strict";
// Thin shim onto the CLI compiled in lib/ (`npm run build`, which `npm ci` runs through
// `prepare`). The commands Terraform's provisioners run, once per changed object, start from one
// bundled file: lib/provisioner.js (see scripts/bundle-cli.ts).
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const bundle = join(__dirname, "..", "lib", "provisioner.js");
const provisioned = ["apply", "delete", "prune"].includes(process.argv[2]);
require(provisioned && existsSync(bundle) ? bundle : "../lib/src/cli/main.js");
