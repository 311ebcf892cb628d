/**
 * Contributions to masking done by other plugins (credentials-binding), backed by the engine's masking forms.
 */
package io.jenkins.plugins.kmssecrets.jenkins.masking;
