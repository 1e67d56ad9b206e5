package io.github.yototokenkeeper.oauth;

import java.io.InputStream;
import java.io.OutputStream;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Camel's Jackson data format, made at its first message instead of when its route starts: a keeper that starts
 * logged out loads no Jackson (about 400 classes and an ObjectMapper per format) until a page, a login or a refresh
 * needs it (issue 13). Configured exactly as {@code marshal().json()} / {@code unmarshal().json(type)} are.
 */
public final class LazyJson extends ServiceSupport implements DataFormat, CamelContextAware {

    private final Class<?> unmarshalType;
    private CamelContext camelContext;
    private volatile JacksonDataFormat format;

    private LazyJson(Class<?> unmarshalType) {
        this.unmarshalType = unmarshalType;
    }

    /** Writes answers (maps, records) as JSON. */
    public static LazyJson writing() {
        return new LazyJson(null);
    }

    /** Reads a JSON answer into this type. */
    public static LazyJson reading(Class<?> type) {
        return new LazyJson(type);
    }

    @Override
    public void marshal(Exchange exchange, Object graph, OutputStream stream) throws Exception {
        format().marshal(exchange, graph, stream);
    }

    @Override
    public Object unmarshal(Exchange exchange, InputStream stream) throws Exception {
        return format().unmarshal(exchange, stream);
    }

    @Override
    public Object unmarshal(Exchange exchange, Object body) throws Exception {
        return format().unmarshal(exchange, body);
    }

    private JacksonDataFormat format() {
        JacksonDataFormat made = format;
        if (made == null) {
            synchronized (this) {
                made = format;
                if (made == null) {
                    made = unmarshalType == null ? new JacksonDataFormat() : new JacksonDataFormat(unmarshalType);
                    made.setCamelContext(camelContext);
                    ServiceHelper.startService(made);
                    format = made;
                }
            }
        }
        return made;
    }

    @Override
    protected synchronized void doStop() {
        ServiceHelper.stopService(format);
        format = null;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
