package io.jenkins.plugins.kmssecrets.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.audit.AuditContext.Tool;
import io.jenkins.plugins.kmssecrets.store.ConcurrentCalls;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AuditContextTest {

    @Test
    void userAgentNamesProductVersionToolAndContext() {
        AuditContext context = AuditContext.of(Tool.JENKINS, "folder/app/main#42");
        assertThat(context.userAgent()).isEqualTo(AuditContext.PRODUCT + " (jenkins; folder/app/main#42)");
        // The build's version, filtered into the resource (not the fallback for unfiltered resources).
        assertThat(AuditContext.PRODUCT).matches("kms-secrets/\\d+\\.\\d+\\.\\d+[A-Za-z0-9.+-]*");
        assertThat(context.correlationId()).matches("[0-9a-f-]{36}");
        assertThat(AuditContext.of(Tool.CLI, "x").correlationId()).isNotEqualTo(context.correlationId());
    }

    @Test
    void contextCannotBreakTheHeaderOrTheCommentSyntax() {
        assertThat(AuditContext.of(Tool.CLI, "evil\r\nX-Injected: 1").context()).isEqualTo("evil X-Injected: 1");
        assertThat(AuditContext.of(Tool.CLI, "a\u0000b\u007fc").context()).isEqualTo("a%00b%7Fc");
        assertThat(AuditContext.of(Tool.CLI, "job (x) \\ 100%").context()).isEqualTo("job %28x%29 %5C 100%25");
        assertThat(AuditContext.of(Tool.CLI, "café#3").context()).isEqualTo("caf%C3%A9#3");
        assertThat(AuditContext.of(Tool.CLI, "  ").context()).isEqualTo("unknown");
        assertThat(AuditContext.of(Tool.CLI, null).context()).isEqualTo("unknown");
    }

    @Test
    void contextIsBoundedAndNeverCutInsideAnEscape() {
        String cut = AuditContext.of(Tool.CLI, "x".repeat(158) + "é").context();
        assertThat(cut).isEqualTo("x".repeat(158));
        assertThat(AuditContext.of(Tool.CLI, "y".repeat(1000)).context()).hasSize(AuditContext.MAX_CONTEXT_LENGTH);
    }

    @Test
    void scopeRestoresThePreviousContextAndOutsideAnyScopeCallsAreUnscoped() {
        AuditContext outer = AuditContext.of(Tool.CLI, "outer");
        AuditContext inner = AuditContext.of(Tool.CLI, "inner");
        assertThat(AuditContext.scoped()).isFalse();
        assertThat(AuditContext.current().userAgent()).endsWith(" (library; unscoped)");
        assertThat(AuditContext.current().correlationId()).isNull();
        outer.run(() -> {
            assertThat(AuditContext.current()).isSameAs(outer);
            inner.run(() -> assertThat(AuditContext.current()).isSameAs(inner));
            assertThat(AuditContext.current()).isSameAs(outer);
        });
        assertThat(AuditContext.scoped()).isFalse();
    }

    @Test
    void concurrentCallsRunEachTaskInTheCallersContext() {
        AuditContext caller = AuditContext.of(Tool.JENKINS, "job#1");
        List<AuditContext> seen = caller.call(() -> ConcurrentCalls.map(List.of(1, 2, 3, 4, 5, 6), 3,
                i -> AuditContext.current()));
        assertThat(seen).hasSize(6).allSatisfy(c -> assertThat(c).isSameAs(caller));
    }

    @Test
    void aPoolThreadDoesNotKeepAPreviousCallersContext() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AuditContext first = AuditContext.of(Tool.JENKINS, "job#1");
            pool.submit(AuditContext.propagating(() -> { })).get();
            first.run(() -> {
                try {
                    pool.submit(AuditContext.propagating(
                            () -> assertThat(AuditContext.current()).isSameAs(first))).get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(pool.submit(() -> AuditContext.scoped()).get()).isFalse();
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void causingKeepsToolAndCorrelationAndMarksTheContext() {
        AuditContext b = AuditContext.of(Tool.JENKINS, "job#2");
        AuditContext refresh = b.causing("cache refresh");
        assertThat(refresh.userAgent()).endsWith(" (jenkins; job#2 [cache refresh])");
        assertThat(refresh.correlationId()).isEqualTo(b.correlationId());
    }
}
