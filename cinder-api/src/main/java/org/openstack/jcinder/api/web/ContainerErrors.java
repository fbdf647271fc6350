package org.openstack.jcinder.api.web;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.core.StandardHost;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Errors Tomcat answers itself, before or after Spring (a request line it cannot parse, a method it refuses,
 * an error raised outside the dispatcher), get Cinder's JSON body instead of Tomcat's HTML page, which names
 * the server and may show a stack trace.
 */
@Component
public class ContainerErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        // TRACE is then refused by RequestSanityFilter (501) instead of by the connector (405 in HTML).
        factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                host.getPipeline().addValve(new JsonErrorReportValve());
            }
        });
    }

    /** The message for a status the container chose; its own text is not passed on. */
    static String message(int code) {
        return switch (code) {
            case 400 -> "Malformed request: the request line or headers could not be parsed.";
            case 404 -> "The resource could not be found.";
            case 405 -> "The method specified is not allowed for this resource.";
            case 413 -> RequestSanityFilter.TOO_LARGE;
            case 501 -> "The requested method is not implemented by this server.";
            default -> {
                if (code >= 500) {
                    yield ApiExceptionHandler.SERVER_ERROR;
                }
                HttpStatus status = HttpStatus.resolve(code);
                yield status == null ? "The request could not be processed." : status.getReasonPhrase();
            }
        };
    }

    public static class JsonErrorReportValve extends ErrorReportValve {

        private static final JsonMapper MAPPER = JsonMapper.builder().build();

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int code = response.getStatus();
            if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            try {
                response.setContentType("application/json");
                response.setCharacterEncoding("utf-8");
                if (code == 503) {
                    response.setHeader("Retry-After", String.valueOf(ErrorBodies.RETRY_AFTER_SECONDS));
                }
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(MAPPER.writeValueAsString(ErrorBodies.body(code, message(code))));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The client has gone or the response cannot take a body; nothing more to tell it.
            }
        }
    }
}
