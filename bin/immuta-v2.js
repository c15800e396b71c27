#!/usr/bin/env node
"use strict";
// Thin shim: the CLI is compiled to lib/ (`npm run build`, which `npm ci` runs through `prepare`).
require("../lib/src/cli/main.js");
