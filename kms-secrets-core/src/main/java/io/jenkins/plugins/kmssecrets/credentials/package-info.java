/**
 * Jenkins-free decisions behind the Jenkins credentials view of the stores: which listed secret becomes which
 * credential id, and which secrets a tag or label filter admits. The plugin only adapts these to Jenkins types.
 *
 * @since 0.1.0
 */
package io.jenkins.plugins.kmssecrets.credentials;
