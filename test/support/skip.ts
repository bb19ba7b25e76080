import { missingBinary } from './processes';

/** `describe`, or `describe.skip` with a line saying which binary is missing and what installs it. */
export function describeIfBinaries(binaries: string[], install: string): jest.Describe {
  const missing = missingBinary(...binaries);
  if (missing === null) return describe;
  console.warn(`skipping: ${missing} is not installed (${install}; .ci/run installs it)`);
  return describe.skip;
}
