/**
 * In GitHub Actions (GITHUB_ACTIONS=true): the Markdown report appended to the step summary,
 * the outputs for later steps, and one annotation per failing or warning campaign on standard
 * error (the runner reads workflow commands from both streams, and stdout may carry JSON).
 */
import { appendFile } from 'node:fs/promises';
import { githubAnnotations, githubOutputs } from '../report/github.js';
import { renderMarkdown } from '../report/markdown.js';
import type { Report } from '../report/report.js';

export async function publishToGithub(report: Report, env: NodeJS.ProcessEnv, stderr: NodeJS.WritableStream): Promise<void> {
  try {
    if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${renderMarkdown(report)}\n`);
    if (env.GITHUB_OUTPUT) await appendFile(env.GITHUB_OUTPUT, githubOutputs(report));
  } catch (err) {
    stderr.write(`bounce-audit: warning: could not write the GitHub step summary or outputs: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  for (const line of githubAnnotations(report)) stderr.write(`${line}\n`);
}
