#!/usr/bin/env node
"use strict";
// Thin shim onto the CLI compiled in lib/ (`npm run build`, which `npm ci` runs through
// `prepare`). The commands Terraform's provisioners run, once per changed object, start from one
// file bundled by esbuild: lib/provisioner.js (see scripts/bundle-cli.ts). The names below are
// src/cli/provisioner.ts's PROVISIONER_COMMANDS.
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const bundle = join(__dirname, "..", "lib", "provisioner.js");
const provisioned = ["apply", "delete", "guard", "confirm"].includes(process.argv[2]);
require(provisioned && existsSync(bundle) ? bundle : "../lib/src/cli/main.js");
