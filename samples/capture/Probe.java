/*
 * Probe: a tiny TLS client used by capture.sh to produce real JSSE debug logs.
 *
 * Usage:
 *   java -Djavax.net.debug=ssl:handshake:verbose \
 *        -Djavax.net.ssl.trustStore=trust.p12 -Djavax.net.ssl.trustStorePassword=... \
 *        -Dprobe.applog=/path/localhost_log.txt \
 *        Probe THREAD@HOST:PORT/PROTOCOLS [THREAD@HOST:PORT/PROTOCOLS ...]
 *
 *   THREAD     worker thread name (e.g. glide.scheduler.worker.3)
 *   HOST       name used for SNI and HTTPS endpoint identification
 *   PORT       TCP port on 127.0.0.1 (the probe always dials 127.0.0.1)
 *   PROTOCOLS  "+"-separated list for SSLParameters.setProtocols
 *              (e.g. TLSv1.2, TLSv1.3, TLSv1.3+TLSv1.2) or "default"
 *
 * Each target gets its own worker thread; all workers are released at the
 * same moment so that, with several targets, their JSSE debug output
 * interleaves in this one JVM's output.
 *
 * Besides the JSSE debug output (written by the JDK itself to stderr), the
 * probe emulates the application's own log (ServiceNow app-node format) into
 * the file named by -Dprobe.applog, using the real local time, the real
 * worker thread name and the real exception messages raised by the JVM.
 *
 * Exit status: 0 = every request got an HTTP reply, 2 = at least one failed.
 */

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

public final class Probe {

    private static final int TIMEOUT_MS = 5000;
    private static final String URI_PATH = "/api/now/table/incident";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static PrintStream appLog;          // null when -Dprobe.applog is unset
    private static final AtomicInteger failures = new AtomicInteger();

    private static final class Target {
        final String thread;
        final String host;
        final int port;
        final String[] protocols;               // null = JDK default

        Target(String spec) {
            int at = spec.indexOf('@');
            int colon = spec.lastIndexOf(':');
            int slash = spec.indexOf('/', colon);
            if (at <= 0 || colon <= at || slash <= colon) {
                throw new IllegalArgumentException("bad target: " + spec);
            }
            thread = spec.substring(0, at);
            host = spec.substring(at + 1, colon);
            port = Integer.parseInt(spec.substring(colon + 1, slash));
            String p = spec.substring(slash + 1);
            protocols = "default".equals(p) ? null : p.split("\\+");
        }

        String uri() {
            return "https://" + host + ":" + port + URI_PATH;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Probe THREAD@HOST:PORT/PROTOCOLS ...");
            System.exit(64);
        }
        String appLogPath = System.getProperty("probe.applog");
        if (appLogPath != null && !appLogPath.isEmpty()) {
            appLog = new PrintStream(new FileOutputStream(appLogPath, true), true, "UTF-8");
        }

        List<Target> targets = new ArrayList<>();
        for (String a : args) {
            targets.add(new Target(a));
        }

        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (Target t : targets) {
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                request(t);
            });
            w.setName(t.thread);
            workers.add(w);
            w.start();
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        if (appLog != null) {
            appLog.close();
        }
        System.exit(failures.get() == 0 ? 0 : 2);
    }

    /* One HTTPS request, the way an outbound REST call would do it. */
    private static void request(Target t) {
        String session = hex(16).toUpperCase();
        String txid = hex(6);
        byte[] get = ("GET " + URI_PATH + " HTTP/1.1\r\n"
                + "Host: " + t.host + ":" + t.port + "\r\n"
                + "Accept: application/json\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        SSLSocket ssl = null;
        try {
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress("127.0.0.1", t.port), TIMEOUT_MS);
            plain.setSoTimeout(TIMEOUT_MS);
            SSLSocketFactory f = (SSLSocketFactory) SSLSocketFactory.getDefault();
            ssl = (SSLSocket) f.createSocket(plain, t.host, t.port, true);
            ssl.setSoTimeout(TIMEOUT_MS);
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            if (t.protocols != null) {
                params.setProtocols(t.protocols);
            }
            ssl.setSSLParameters(params);

            ssl.startHandshake();

            OutputStream out = ssl.getOutputStream();
            out.write(get);
            out.flush();
            String status = readStatusLine(ssl.getInputStream());
            app(session, txid, "INFO", "Response from uri=" + t.uri() + " : " + status
                    + " (" + ssl.getSession().getProtocol() + ", " + ssl.getSession().getCipherSuite() + ")");
            if (status.isEmpty()) {
                failures.incrementAndGet();
            }
        } catch (SSLHandshakeException e) {
            failures.incrementAndGet();
            app(session, txid, "SEVERE", "*** ERROR *** " + e);
            // What a certificate-telemetry hook does next: ask the session for
            // the peer chain. On a failed handshake the JDK answers with
            // SSLPeerUnverifiedException("peer not authenticated").
            try {
                SSLSession s = ssl.getSession();
                s.getPeerCertificates();
            } catch (IOException pe) {
                appRaw(session, txid, "DBKeyStoreSocketFactory DEBUG: Unable to collect telemetry data for certificate. Exception: "
                        + pe.getMessage());
            }
            // ...and the HTTP client then tries to send its request anyway.
            try {
                OutputStream out = ssl.getOutputStream();
                out.write(get);
                out.flush();
            } catch (IOException se) {
                app(session, txid, "WARNING", "*** WARNING *** Request not sent to uri=" + t.uri() + " : " + se);
            }
        } catch (IOException e) {
            failures.incrementAndGet();
            app(session, txid, "SEVERE", "*** ERROR *** " + e);
            app(session, txid, "WARNING", "*** WARNING *** Request not sent to uri=" + t.uri() + " : " + e);
        } finally {
            if (ssl != null) {
                try {
                    ssl.close();
                } catch (IOException ignored) {
                    // closing after a failure: nothing to do
                }
            }
        }
    }

    private static String readStatusLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while (sb.length() < 256 && (c = in.read()) != -1) {
            if (c == '\r' || c == '\n') {
                break;
            }
            sb.append((char) c);
        }
        // drain a little more of the reply (lets TLS 1.3 post-handshake
        // messages such as NewSessionTicket show up in the debug log)
        byte[] buf = new byte[4096];
        try {
            in.read(buf);
        } catch (IOException ignored) {
            // the status line is all we need
        }
        return sb.toString();
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    private static void app(String session, String txid, String level, String msg) {
        appRaw(session, txid, level + " " + msg);
    }

    /* "2026-11-21 10:11:12 (345) glide.scheduler.worker.3 <SESSION> txid=<txid> <text>" */
    private static void appRaw(String session, String txid, String text) {
        if (appLog == null) {
            return;
        }
        String ts = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss (SSS)").format(new Date());
        String line = ts + " " + Thread.currentThread().getName() + " " + session + " txid=" + txid + " " + text;
        synchronized (Probe.class) {
            appLog.println(line);
        }
    }
}
