// @ts-check
// How each question's file runs on its own (`node bench/gemm.mjs`): print the machine, then its section.

import { pathToFileURL } from 'node:url';
import { machineMarkdown } from './machine.mjs';

/** Whether the module at `url` is the script node was started with. */
export function isMain(/** @type {string} */ url) {
  return process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;
}

/**
 * @typedef {object} Target one of the targets, as this run measured it
 * @property {string} id e.g. "1a"
 * @property {string} target what the issue asks, in words
 * @property {string} measured what this run measured, in words
 * @property {boolean | undefined} ok undefined when it could not be measured
 */

/**
 * @typedef {object} Section
 * @property {string} title
 * @property {string} markdown tables and notes
 * @property {Target[]} targets
 */

/** Runs one question and prints it. */
export async function runStandalone(/** @type {() => Promise<Section>} */ run) {
  console.log(machineMarkdown());
  const section = await run();
  console.log(`\n## ${section.title}\n\n${section.markdown}`);
}
