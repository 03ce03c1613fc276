package io.rustbucket.core.store.s3;

import io.rustbucket.core.health.Incident;
import io.rustbucket.core.store.ObjectExistsException;
import io.rustbucket.core.store.ObjectInfo;
import io.rustbucket.core.store.ObjectKeys;
import io.rustbucket.core.store.ObjectNotFoundException;
import io.rustbucket.core.store.ObjectPage;
import io.rustbucket.core.store.ObjectStore;
import io.rustbucket.core.store.StoreConfig;
import io.rustbucket.core.store.StoreException;
import io.rustbucket.core.store.StoreUnavailableException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An object store in an S3 bucket (AWS, MinIO, any S3 server). Create-only writes use the conditional header
 * {@code If-None-Match: *}: the server answers 412 when the key exists, so no client-side check-then-write race
 * exists. Requests are retried with backoff by the SDK's standard retry mode.
 */
public final class S3ObjectStore implements ObjectStore {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Incident incident;

    S3ObjectStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.incident = new Incident("object store s3://" + bucket + "/" + prefix, Clock.systemUTC());
    }

    /** Builds a client from configuration; does not contact the server. */
    public static S3ObjectStore open(StoreConfig.S3 config) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyle())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(config.timeout())
                        .socketTimeout(config.timeout()))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(config.maxAttempts()))
                        .apiCallAttemptTimeout(config.timeout()))
                // S3-compatible servers differ in checksum support; send checksums only where S3 requires them.
                .requestChecksumCalculation(
                        software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(
                        software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(credentials(config));
        if (!config.endpoint().isEmpty()) {
            builder.endpointOverride(URI.create(config.endpoint()));
        }
        return new S3ObjectStore(builder.build(), config.bucket(), config.prefix());
    }

    private static AwsCredentialsProvider credentials(StoreConfig.S3 config) {
        if (!config.accessKeyId().isEmpty()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public ObjectInfo put(String key, InputStream data, long lengthBytes) {
        ObjectKeys.validate(key);
        try {
            PutObjectResponse r = call(() -> s3.putObject(
                    b -> b.bucket(bucket).key(prefix + key).ifNoneMatch("*").contentLength(lengthBytes),
                    RequestBody.fromInputStream(data, lengthBytes)));
            return new ObjectInfo(key, lengthBytes, unquote(r.eTag()), java.time.Instant.now());
        } catch (S3Exception e) {
            // 412: the key exists. 409: another writer's conditional write on the same key is in flight; it wins.
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                throw new ObjectExistsException(key);
            }
            throw translate("writing " + key, e);
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            // The caller's stream ended early or failed; S3 received no complete body, so nothing was created.
            throw new StoreException("writing " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream get(String key) {
        ObjectKeys.validate(key);
        try {
            return call(() -> s3.getObject(b -> b.bucket(bucket).key(prefix + key)));
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new ObjectNotFoundException(key);
            }
            throw translate("reading " + key, e);
        }
    }

    @Override
    public ObjectPage list(String listPrefix, String startAfter, int limit) {
        ObjectKeys.validatePrefix(listPrefix);
        if (limit < 1 || limit > DEFAULT_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be 1.." + DEFAULT_PAGE_SIZE + ", was " + limit);
        }
        try {
            ListObjectsV2Response r = call(() -> s3.listObjectsV2(b -> {
                b.bucket(bucket).prefix(prefix + listPrefix).maxKeys(limit);
                if (startAfter != null && !startAfter.isEmpty()) {
                    b.startAfter(prefix + startAfter);
                }
            }));
            List<ObjectInfo> objects = r.contents().stream()
                    .map(o -> new ObjectInfo(
                            o.key().substring(prefix.length()), o.size(), unquote(o.eTag()), o.lastModified()))
                    .toList();
            Optional<String> next = Boolean.TRUE.equals(r.isTruncated()) && !objects.isEmpty()
                    ? Optional.of(objects.getLast().key())
                    : Optional.empty();
            return new ObjectPage(objects, next);
        } catch (S3Exception e) {
            throw translate("listing " + listPrefix, e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        ObjectKeys.validate(key);
        try {
            HeadObjectResponse r =
                    call(() -> s3.headObject(b -> b.bucket(bucket).key(prefix + key)));
            return Optional.of(new ObjectInfo(key, r.contentLength(), unquote(r.eTag()), r.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw translate("stat " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        ObjectKeys.validate(key);
        try {
            call(() -> s3.deleteObject(b -> b.bucket(bucket).key(prefix + key)));
        } catch (S3Exception e) {
            throw translate("deleting " + key, e);
        }
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public void close() {
        s3.close();
    }

    /** Runs one SDK call, keeping the incident state: client errors (network, timeout) become unavailable. */
    private <T> T call(Supplier<T> request) {
        try {
            T result = request.get();
            incident.succeeded();
            return result;
        } catch (S3Exception e) {
            if (e.statusCode() >= 500) {
                incident.failed(e);
            } else {
                incident.succeeded();
            }
            throw e;
        } catch (SdkClientException e) {
            incident.failed(e);
            throw new StoreUnavailableException(describe() + " unreachable: " + e.getMessage(), e);
        }
    }

    private StoreException translate(String what, SdkException e) {
        if (e instanceof S3Exception s && s.statusCode() >= 500) {
            return new StoreUnavailableException(what + " in " + describe() + " failed: " + s.getMessage(), e);
        }
        return new StoreException(what + " in " + describe() + " failed: " + e.getMessage(), e);
    }

    private static String unquote(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }
}
