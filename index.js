// The package's entry point (`main`): the built node and credential classes, for programmatic use
// and tests. n8n itself loads them through the "n8n" section of package.json.
const { BrevoEvent } = require('./dist/nodes/BrevoEvent/BrevoEvent.node.js');
const { BrevoEventTrigger } = require('./dist/nodes/BrevoEventTrigger/BrevoEventTrigger.node.js');
const { BrevoApi } = require('./dist/credentials/BrevoApi.credentials.js');
const { BrevoOAuth2Api } = require('./dist/credentials/BrevoOAuth2Api.credentials.js');

module.exports = { BrevoEvent, BrevoEventTrigger, BrevoApi, BrevoOAuth2Api };
