package io.jenkins.plugins.kmssecrets.store.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Secret Manager client runs over HTTP/JSON; the gRPC runtime (about 30 MiB) is excluded in the core POM and must
 * stay out of the runtime class path. See docs/stores/google-secret-manager.md for the measurement.
 */
class SecretManagerTransportTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder",
        "io.grpc.xds.XdsNameResolverProvider",
        "org.conscrypt.Conscrypt",
        "io.grpc.internal.ManagedChannelImplBuilder",
        "io.grpc.alts.ComputeEngineChannelCredentials"})
    void grpcRuntimeIsNotOnTheClassPath(String className) {
        assertThat(present(className)).as(className).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "com.google.api.gax.httpjson.InstantiatingHttpJsonChannelProvider",
        "com.google.cloud.secretmanager.v1.stub.HttpJsonSecretManagerServiceStub"})
    void httpJsonTransportIsOnTheClassPath(String className) {
        assertThat(present(className)).as(className).isTrue();
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, SecretManagerTransportTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
