/**
 * Every scenario, in the order a full run takes them: quick ones first, so a failure shows early,
 * and `store` last, because deleting its 100,000 files keeps the disk busy afterwards.
 */
import type { Scenario } from "../lib/scenario";
import { access } from "./access";
import { deploy } from "./deploy";
import { importScenario } from "./import";
import { kill } from "./kill";
import { memory } from "./memory";
import { noop } from "./noop";
import { stacks } from "./stacks";
import { startup } from "./startup";
import { store } from "./store";
import { synth } from "./synth";
import { tables } from "./tables";
import { throughput } from "./throughput";

export const SCENARIOS: readonly Scenario[] = [
  startup,
  access,
  throughput,
  tables,
  memory,
  synth,
  deploy,
  noop,
  importScenario,
  kill,
  stacks,
  store,
];
