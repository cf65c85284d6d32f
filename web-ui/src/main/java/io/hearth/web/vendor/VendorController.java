package io.hearth.web.vendor;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code /vendor/PACKAGE/FILE}: the UI's browser libraries straight from their WebJars on the class
 * path, JavaScript with its bare imports resolved to these same paths (see {@link ModuleRewriter}).
 * The versions come from the WebJars themselves, so the build's pins are the only place they are named.
 */
@Controller(VendorController.PREFIX)
@ExecuteOn(TaskExecutors.BLOCKING)
final class VendorController {

    static final String PREFIX = "/vendor";
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._/-]*\\.(js|css)");
    private static final List<VendorPackage> PACKAGES = List.of(
            new VendorPackage("lit", "lit", "index.js"),
            new VendorPackage("lit-html", "lit-html", "lit-html.js"),
            new VendorPackage("lit-element", "lit-element", "index.js"),
            new VendorPackage("@lit/reactive-element", "lit__reactive-element", "reactive-element.js"),
            new VendorPackage("uplot", "uplot", "dist/uPlot.esm.js"));

    private final Map<String, VendorPackage> bySpecifier = new LinkedHashMap<>();
    private final ModuleRewriter rewriter;
    private final Map<String, Optional<Served>> cache = new ConcurrentHashMap<>();

    private record Served(byte[] body, MediaType type, String etag) {
    }

    VendorController() {
        PACKAGES.forEach(p -> bySpecifier.put(p.specifier(), p));
        rewriter = new ModuleRewriter(bySpecifier, PREFIX);
    }

    @Get("/{+path}")
    HttpResponse<?> file(String path, HttpRequest<?> request) {
        // Scoped packages (@lit/reactive-element) take two segments of the path, others one.
        String[] parts = path.split("/", path.startsWith("@") ? 3 : 2);
        int names = path.startsWith("@") ? 2 : 1;
        if (parts.length <= names) {
            return HttpResponse.status(HttpStatus.NOT_FOUND);
        }
        String specifier = names == 2 ? parts[0] + "/" + parts[1] : parts[0];
        return serve(specifier, parts[names], request);
    }

    private HttpResponse<?> serve(String specifier, String path, HttpRequest<?> request) {
        VendorPackage pkg = bySpecifier.get(specifier);
        if (pkg == null || !SAFE_PATH.matcher(path).matches() || path.contains("..")) {
            return HttpResponse.status(HttpStatus.NOT_FOUND);
        }
        Optional<Served> served = cache.computeIfAbsent(specifier + "/" + path, key -> load(pkg, path));
        if (served.isEmpty()) {
            return HttpResponse.status(HttpStatus.NOT_FOUND);
        }
        // Revalidated on each load (the URLs carry no version), answered with 304 while unchanged.
        if (served.get().etag().equals(request.getHeaders().get("If-None-Match"))) {
            return HttpResponse.notModified().header("ETag", served.get().etag()).header("Cache-Control", "no-cache");
        }
        return HttpResponse.ok(served.get().body()).contentType(served.get().type())
                .header("ETag", served.get().etag()).header("Cache-Control", "no-cache");
    }

    private Optional<Served> load(VendorPackage pkg, String path) {
        Optional<String> version = version(pkg);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        String resource = "META-INF/resources/webjars/" + pkg.artifact() + "/" + version.get() + "/" + path;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            boolean script = path.endsWith(".js");
            if (script) {
                bytes = rewriter.rewrite(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            }
            MediaType type = script ? MediaType.of("text/javascript;charset=utf-8") : MediaType.of("text/css;charset=utf-8");
            return Optional.of(new Served(bytes, type, etag(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<String> version(VendorPackage pkg) {
        String properties = "META-INF/maven/org.webjars.npm/" + pkg.artifact() + "/pom.properties";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(properties)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties read = new Properties();
            read.load(in);
            return Optional.ofNullable(read.getProperty("version"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
