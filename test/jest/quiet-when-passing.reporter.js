/**
 * jest's default reporter, minus the console output of test files that pass: the node logs a
 * summary of every run through n8n's logger (winston), about a hundred blocks for the unit tests
 * alone. A file with a failing test, or one that does not run, prints its console output whole,
 * next to its failures.
 */
const { DefaultReporter } = require('@jest/reporters');

class QuietWhenPassingReporter extends DefaultReporter {
	printTestFileHeader(testPath, config, result) {
		const passed = result.numFailingTests === 0 && !result.testExecError;
		super.printTestFileHeader(
			testPath,
			config,
			passed ? { ...result, console: undefined } : result,
		);
	}
}

module.exports = QuietWhenPassingReporter;
