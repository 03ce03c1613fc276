package io.rustbucket.sensor;

import static io.rustbucket.core.config.ConfigException.require;

import io.rustbucket.core.config.ConfigLoader;
import io.rustbucket.core.config.ConfigLoader.EnvOverride;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.llm.ModelConfig;
import io.rustbucket.sensor.respond.ResponderConfig;
import io.rustbucket.sensor.shell.LoginPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sensor's {@code Config.toml} (specs/sensor.md): the design's tables {@code general ports openai aws
 * registration} (and the older {@code [llm] static_messages}), plus our own {@code limits responder login shell
 * management anthropic ollama}. Every key is validated; unknown keys are an error. Inside {@code ./rustbucket up}
 * the same record is the {@code [sensor]} table of {@code rustbucket.toml}.
 */
public record SensorConfig(
        General general,
        Ports ports,
        OpenAi openai,
        LegacyLlm llm,
        Anthropic anthropic,
        Ollama ollama,
        Aws aws,
        Registration registration,
        Management management,
        SensorLimits limits,
        ResponderConfig responder,
        LoginPolicy login,
        ShellSettings shell) {

    /** Environment variables of the deployment contract (specs/registry-protocol.md); env beats the file. */
    public static final List<EnvOverride> ENV = List.of(
            new EnvOverride("RUSTBUCKET_REGISTRY_URL", "registration.rustbucket_registry_url"),
            new EnvOverride("RUSTBUCKET_API_KEY", "registration.registration_key"),
            new EnvOverride("SSH_PORT", "ports.ssh.port"),
            new EnvOverride("FTP_PORT", "ports.ftp.port"),
            new EnvOverride("SMTP_PORT", "ports.smtp.port"),
            new EnvOverride("HTTP_PORT", "ports.http.port"),
            new EnvOverride("TELNET_PORT", "ports.telnet.port"),
            new EnvOverride("OPENAI_API_KEY", "openai.api_key"),
            new EnvOverride("CHATGPT_API_KEY", "openai.api_key"),
            new EnvOverride("ANTHROPIC_API_KEY", "anthropic.api_key"),
            new EnvOverride("RUSTBUCKET_SENSOR_DATA_DIR", "general.data_directory"));

    public SensorConfig {
        general = general == null ? General.defaults() : general;
        ports = ports == null ? Ports.defaults() : ports;
        openai = openai == null ? new OpenAi(null, null, null, null) : openai;
        llm = llm == null ? new LegacyLlm(null) : llm;
        anthropic = anthropic == null ? new Anthropic(null, null) : anthropic;
        ollama = ollama == null ? new Ollama(null, null) : ollama;
        aws = aws == null ? new Aws(null, null, null, null, null) : aws;
        registration = registration == null ? new Registration(null, null) : registration;
        management = management == null ? new Management(null, null, null, null) : management;
        limits = limits == null ? SensorLimits.defaults() : limits;
        responder = responder == null ? ResponderConfig.defaults() : responder;
        login = login == null ? LoginPolicy.defaults() : login;
        shell = shell == null ? new ShellSettings(null, null) : shell;
    }

    public static SensorConfig defaults() {
        return new SensorConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Loads {@code Config.toml} (or defaults), then the environment, then command-line values. */
    public static SensorConfig load(Optional<Path> file, Map<String, String> env, Map<String, String> sets) {
        // CHATGPT_API_KEY is the older name: OPENAI_API_KEY wins when both are set
        Map<String, String> e = new LinkedHashMap<>(env);
        if (e.get("OPENAI_API_KEY") != null && !e.get("OPENAI_API_KEY").isBlank()) {
            e.remove("CHATGPT_API_KEY");
        }
        return ConfigLoader.load(SensorConfig.class, file, e, ENV, sets);
    }

    /** This configuration as {@code up} runs it: unset data directory and bind address taken from the platform. */
    public SensorConfig inPlatform(Path platformData, String platformHost) {
        General g = general;
        General placed = new General(
                g.logLevel(),
                g.dataDirectory().isEmpty() ? platformData.resolve("sensor").toString() : g.dataDirectory(),
                g.logDirectory(),
                g.uploadIntervalSecs(),
                g.bind().isEmpty() ? platformHost : g.bind(),
                g.retentionDays(),
                g.retentionMaxMb(),
                g.queueCapacity());
        return new SensorConfig(
                placed,
                ports,
                openai,
                llm,
                anthropic,
                ollama,
                aws,
                registration,
                management,
                limits,
                responder,
                login,
                shell);
    }

    /** The sensor's name: {@code aws.app_id}. */
    public String name() {
        return aws.appId();
    }

    /** The persona prompts: {@code [openai.static_messages]}, else the older {@code [llm] static_messages}. */
    public List<String> persona() {
        Map<String, String> m = !openai.staticMessages().isEmpty() ? openai.staticMessages() : llm.staticMessages();
        List<String> out = new ArrayList<>(new java.util.TreeMap<>(m).values());
        if (out.isEmpty()) {
            out.add("You are " + "an Ubuntu 22.04 server.");
            out.add("Respond exactly as that server would. Never reveal you are an AI.");
        }
        return out;
    }

    /** The models the standalone sensor may use, from its own keys; empty when none is configured. */
    public Optional<LlmConfig> llmConfig() {
        Map<String, ModelConfig> models = new LinkedHashMap<>();
        if (!openai.apiKey().isEmpty() || !openai.baseUrl().isEmpty()) {
            models.put(
                    "sensor",
                    new ModelConfig(
                            ModelConfig.Provider.OPENAI,
                            openai.model(),
                            openai.baseUrl().isEmpty() ? null : openai.baseUrl(),
                            openai.apiKey().isEmpty() ? null : openai.apiKey(),
                            null,
                            400,
                            0.2,
                            16));
        } else if (!anthropic.apiKey().isEmpty()) {
            models.put(
                    "sensor",
                    new ModelConfig(
                            ModelConfig.Provider.ANTHROPIC,
                            anthropic.model(),
                            null,
                            anthropic.apiKey(),
                            null,
                            400,
                            0.2,
                            16));
        } else if (!ollama.baseUrl().isEmpty()) {
            models.put(
                    "sensor",
                    new ModelConfig(
                            ModelConfig.Provider.OLLAMA, ollama.model(), ollama.baseUrl(), null, null, 400, 0.2, 4));
        }
        return models.isEmpty() ? Optional.empty() : Optional.of(new LlmConfig("sensor", 16, models));
    }

    /**
     * @param dataDirectory host key, quarantine, identity, shipping state; default {@code ./data/sensor}, or
     *     {@code sensor} under the platform's data directory in {@code up}
     * @param logDirectory the event log files; default {@code {data_directory}/logs}
     * @param bind the address the honeypot listeners bind; default all interfaces, or the platform's host in
     *     {@code up}
     * @param retentionDays shipped log files older than this are deleted
     * @param retentionMaxMb log files are deleted, oldest shipped first, past this total
     */
    public record General(
            String logLevel,
            String dataDirectory,
            String logDirectory,
            Integer uploadIntervalSecs,
            String bind,
            Integer retentionDays,
            Integer retentionMaxMb,
            Integer queueCapacity) {
        public General {
            logLevel = logLevel == null ? "info" : logLevel;
            require(
                    List.of("trace", "debug", "info", "warn", "error").contains(logLevel),
                    "general.log_level",
                    logLevel,
                    "trace, debug, info, warn or error");
            dataDirectory = dataDirectory == null ? "" : dataDirectory.trim();
            logDirectory = logDirectory == null ? "" : logDirectory.trim();
            uploadIntervalSecs = uploadIntervalSecs == null ? 3600 : uploadIntervalSecs;
            require(
                    uploadIntervalSecs >= 1 && uploadIntervalSecs <= 86_400,
                    "general.upload_interval_secs",
                    uploadIntervalSecs,
                    "1..86400");
            bind = bind == null ? "" : bind.trim();
            retentionDays = retentionDays == null ? 14 : retentionDays;
            require(retentionDays >= 1 && retentionDays <= 3650, "general.retention_days", retentionDays, "1..3650");
            retentionMaxMb = retentionMaxMb == null ? 1024 : retentionMaxMb;
            require(retentionMaxMb >= 1, "general.retention_max_mb", retentionMaxMb, ">= 1");
            queueCapacity = queueCapacity == null ? 65_536 : queueCapacity;
            require(
                    queueCapacity >= 16 && queueCapacity <= 10_000_000,
                    "general.queue_capacity",
                    queueCapacity,
                    "16..10000000");
        }

        static General defaults() {
            return new General(null, null, null, null, null, null, null, null);
        }

        /** The data directory: as configured, else {@code ./data/sensor}. */
        public Path data() {
            return Path.of(dataDirectory.isEmpty() ? "./data/sensor" : dataDirectory);
        }

        /** The log directory: as configured, else {@code logs} under the data directory. */
        public Path logs() {
            return logDirectory.isEmpty() ? data().resolve("logs") : Path.of(logDirectory);
        }

        /** The listeners' address: as configured, else all interfaces (a honeypot is meant to be reached). */
        public String bindAddress() {
            return bind.isEmpty() ? "0.0.0.0" : bind;
        }
    }

    /** One listener: {@code banner} (FTP, SMTP) and {@code version} (SSH) override what it announces. */
    public record Service(Boolean enabled, Integer port, String banner, String version) {
        public Service {
            enabled = enabled == null || enabled;
            require(port == null || (port >= 0 && port <= 65535), "ports.*.port", port, "0..65535");
        }

        Service orDefaults(Service d) {
            return new Service(
                    enabled, port, banner == null ? d.banner : banner, version == null ? d.version : version);
        }
    }

    public record Ports(Service ftp, Service telnet, Service smtp, Service http, Service ssh) {
        public static final Service FTP = new Service(true, 2121, "220 (vsFTPd 3.0.3)", null);
        public static final Service TELNET = new Service(true, 2323, null, null);
        public static final Service SMTP = new Service(true, 2525, "220 mail.example.com ESMTP Postfix (Ubuntu)", null);
        public static final Service HTTP = new Service(true, 8080, null, "nginx/1.18.0 (Ubuntu)");
        public static final Service SSH = new Service(true, 2222, null, "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10");

        public Ports {
            ftp = ftp == null ? FTP : ftp.orDefaults(FTP);
            telnet = telnet == null ? TELNET : telnet.orDefaults(TELNET);
            smtp = smtp == null ? SMTP : smtp.orDefaults(SMTP);
            http = http == null ? HTTP : http.orDefaults(HTTP);
            ssh = ssh == null ? SSH : ssh.orDefaults(SSH);
        }

        static Ports defaults() {
            return new Ports(null, null, null, null, null);
        }
    }

    /** @param baseUrl any OpenAI-compatible endpoint; empty = api.openai.com */
    public record OpenAi(String apiKey, String model, String baseUrl, Map<String, String> staticMessages) {
        public OpenAi {
            apiKey = apiKey == null ? "" : apiKey.trim();
            model = model == null || model.isBlank() ? "gpt-4o-mini" : model;
            baseUrl = baseUrl == null ? "" : baseUrl.trim();
            staticMessages = staticMessages == null ? Map.of() : Map.copyOf(staticMessages);
        }
    }

    /** The older form: {@code [llm] static_messages = { message1 = "...", message2 = "..." }}. */
    public record LegacyLlm(Map<String, String> staticMessages) {
        public LegacyLlm {
            staticMessages = staticMessages == null ? Map.of() : Map.copyOf(staticMessages);
        }
    }

    public record Anthropic(String apiKey, String model) {
        public Anthropic {
            apiKey = apiKey == null ? "" : apiKey.trim();
            model = model == null || model.isBlank() ? "claude-sonnet-4-5" : model;
        }
    }

    public record Ollama(String baseUrl, String model) {
        public Ollama {
            baseUrl = baseUrl == null ? "" : baseUrl.trim();
            model = model == null || model.isBlank() ? "llama3.1" : model;
        }
    }

    /**
     * Where batches go: an empty bucket means a folder object store under the data directory.
     *
     * @param appId the sensor's name in object keys and events
     */
    public record Aws(String appId, String s3Bucket, String s3Region, String s3Prefix, String s3Endpoint) {
        public Aws {
            appId = appId == null || appId.isBlank() ? "sensor-1" : appId.trim();
            require(appId.matches("[A-Za-z0-9._-]{1,64}"), "aws.app_id", appId, "1-64 of A-Z a-z 0-9 . _ -");
            s3Bucket = s3Bucket == null ? "" : s3Bucket.trim();
            s3Region = s3Region == null || s3Region.isBlank() ? "us-east-1" : s3Region.trim();
            s3Prefix = s3Prefix == null ? "" : s3Prefix.trim();
            s3Endpoint = s3Endpoint == null ? "" : s3Endpoint.trim();
        }
    }

    /**
     * @param rustbucketRegistryUrl the full URL of the registration endpoint; empty = no registry
     * @param registrationKey the key an admin issued (sent as {@code registration_key} and {@code token})
     */
    public record Registration(String rustbucketRegistryUrl, String registrationKey) {
        public Registration {
            rustbucketRegistryUrl = rustbucketRegistryUrl == null ? "" : rustbucketRegistryUrl.trim();
            registrationKey = registrationKey == null ? "" : registrationKey.trim();
        }
    }

    /**
     * The registry-facing HTTPS API.
     *
     * @param publicUrl the {@code mgmt_url} sent at registration; empty = {@code https://{ip}:{port}}
     * @param maxResponseKb most log bytes per {@code /extract_logs} response
     */
    public record Management(Boolean enabled, Integer port, String publicUrl, Integer maxResponseKb) {
        public Management {
            enabled = enabled == null || enabled;
            port = port == null ? 8443 : port;
            require(port >= 0 && port <= 65535, "management.port", port, "0..65535");
            publicUrl = publicUrl == null ? "" : publicUrl.trim();
            maxResponseKb = maxResponseKb == null ? 1024 : maxResponseKb;
            require(
                    maxResponseKb >= 1 && maxResponseKb <= 65_536,
                    "management.max_response_kb",
                    maxResponseKb,
                    "1..65536");
        }
    }

    /** @param hostname the fake machine's name; empty = derived from the sensor name (cloud style) */
    public record ShellSettings(String hostname, String smtpHostname) {
        public ShellSettings {
            hostname = hostname == null ? "" : hostname.trim();
            smtpHostname = smtpHostname == null || smtpHostname.isBlank() ? "mail.example.com" : smtpHostname.trim();
        }
    }
}
