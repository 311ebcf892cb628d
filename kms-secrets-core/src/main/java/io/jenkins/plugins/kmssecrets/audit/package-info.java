/**
 * The caller's identity sent to the providers' own audit logs with every store request: {@link
 * io.jenkins.plugins.kmssecrets.audit.AuditContext} (tool, context, version, correlation id) and the scope that carries
 * it from the caller into each request, across the pools that run store calls. See {@code docs/audit.md}.
 *
 * @since 0.3.0
 */
package io.jenkins.plugins.kmssecrets.audit;
