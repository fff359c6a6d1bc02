/*
 * ServerProbe: a tiny TLS server used by capture.sh, so that the JVM whose
 * JSSE debug output is captured is the *server* of the handshake (inbound
 * mutual TLS, a client offering a protocol or suites the server refuses).
 *
 * Usage:
 *   java -Djavax.net.debug=ssl:handshake:verbose \
 *        -Djavax.net.ssl.keyStore=server.p12 -Djavax.net.ssl.keyStorePassword=... \
 *        -Djavax.net.ssl.trustStore=trust.p12 -Djavax.net.ssl.trustStorePassword=... \
 *        -Dserver.ready=/path/ready-file \
 *        ServerProbe PORT CLIENTAUTH PROTOCOLS SUITES [CONNECTIONS]
 *
 *   PORT         TCP port on 127.0.0.1
 *   CLIENTAUTH   need | want | none
 *   PROTOCOLS    "+"-separated list for setEnabledProtocols, or "default"
 *   SUITES       "+"-separated list for setEnabledCipherSuites, or "default"
 *   CONNECTIONS  how many connections to serve before exiting (default 1)
 *
 * Each connection is served on a thread named like Tomcat's connector
 * threads (https-jsse-nio-PORT-exec-N).  After a successful handshake it
 * reads the request line and answers "HTTP/1.0 200 ok".  A failed handshake
 * is logged the way Tomcat's JULI OneLineFormatter writes to catalina.out:
 *   dd-MMM-yyyy HH:mm:ss.SSS SEVERE [thread] ServerProbe.serve Handshake failed: <exception>
 *
 * The server gives up after 30 s without a connection.  Exit status: 0 if
 * every handshake finished, 2 if one failed, 3 on a timeout.
 */

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocket;

public final class ServerProbe {

    private static final int ACCEPT_TIMEOUT_MS = 30000;
    private static final int READ_TIMEOUT_MS = 5000;

    private static volatile int status = 0;

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ServerProbe PORT need|want|none PROTOCOLS SUITES [CONNECTIONS]");
            System.exit(64);
        }
        int port = Integer.parseInt(args[0]);
        String auth = args[1];
        String protocols = args[2];
        String suites = args[3];
        int connections = args.length > 4 ? Integer.parseInt(args[4]) : 1;

        SSLServerSocketFactory f = (SSLServerSocketFactory) SSLServerSocketFactory.getDefault();
        SSLServerSocket server = (SSLServerSocket) f.createServerSocket(port, 8,
                InetAddress.getByName("127.0.0.1"));
        server.setSoTimeout(ACCEPT_TIMEOUT_MS);
        if ("need".equals(auth)) {
            server.setNeedClientAuth(true);
        } else if ("want".equals(auth)) {
            server.setWantClientAuth(true);
        }
        if (!"default".equals(protocols)) {
            server.setEnabledProtocols(protocols.split("\\+"));
        }
        if (!"default".equals(suites)) {
            server.setEnabledCipherSuites(suites.split("\\+"));
        }
        String ready = System.getProperty("server.ready");
        if (ready != null && !ready.isEmpty()) {
            Files.write(Paths.get(ready), "ready\n".getBytes(StandardCharsets.US_ASCII));
        }

        for (int n = 1; n <= connections; n++) {
            Socket s;
            try {
                s = server.accept();
            } catch (SocketTimeoutException e) {
                System.err.println("ServerProbe: no connection within " + ACCEPT_TIMEOUT_MS + " ms");
                System.exit(3);
                return;
            }
            SSLSocket ssl = (SSLSocket) s;
            Thread worker = new Thread(() -> serve(ssl), "https-jsse-nio-" + port + "-exec-" + n);
            worker.start();
            worker.join();
        }
        server.close();
        System.exit(status);
    }

    private static void serve(SSLSocket ssl) {
        try {
            ssl.setSoTimeout(READ_TIMEOUT_MS);
            ssl.startHandshake();
            InputStream in = ssl.getInputStream();
            readLine(in);
            OutputStream out = ssl.getOutputStream();
            out.write("HTTP/1.0 200 ok\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (SSLHandshakeException e) {
            status = 2;
            juli("SEVERE", "Handshake failed: " + e);
        } catch (IOException e) {
            status = 2;
            juli("SEVERE", "Connection failed: " + e);
        } finally {
            try {
                ssl.close();
            } catch (IOException ignored) {
                // closing after a failure: nothing to do
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while (sb.length() < 256 && (c = in.read()) != -1 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString();
    }

    /* Tomcat's OneLineFormatter: "22-Nov-2026 09:19:44.123 SEVERE [thread] class.method message" */
    private static void juli(String level, String msg) {
        String ts = new SimpleDateFormat("dd-MMM-yyyy HH:mm:ss.SSS", Locale.ENGLISH).format(new Date());
        synchronized (ServerProbe.class) {
            System.err.println(ts + " " + level + " [" + Thread.currentThread().getName() + "] ServerProbe.serve " + msg);
            System.err.flush();
        }
    }
}
