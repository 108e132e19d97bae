package org.mailadm.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.testing.DeltaChatTools;

/**
 * README.md's first command, {@code ./mailadm demo}, run as a newcomer runs it (only with free
 * ports, so it can run beside anything): the token URL it prints creates a real account, which a
 * mail client and the real Delta Chat core use on the embedded mail server.
 */
class ReadmeDemoIT {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    static Path work;

    static Proc demo;
    static String url;
    static int smtpPort;
    static int imapPort;

    @BeforeAll
    static void startTheDemo() throws Exception {
        Path repo = Path.of(System.getProperty("mailadm.repo")).toRealPath();
        assertThat(java.nio.file.Files.readString(repo.resolve("README.md")))
                .as("the command README.md gives")
                .contains("./mailadm demo");
        demo = Proc.start(
                work,
                // The build just made the distribution; the launcher must not start another build.
                Map.of(
                        "MAILADM_BUILD",
                        "never",
                        "MAILADM_CACHE",
                        work.resolve("cache").toString()),
                List.of(
                        repo.resolve("mailadm").toString(),
                        "demo",
                        "--dir",
                        work.resolve("demo").toString(),
                        "--port",
                        "0",
                        "--smtp-port",
                        "0",
                        "--imap-port",
                        "0"));
        demo.awaitLine(l -> l.startsWith("serving until Ctrl-C"), Duration.ofMinutes(2));
        String out = demo.output();
        Matcher curl = Pattern.compile("curl -X POST '(http://127\\.0\\.0\\.1:\\d+/new_email\\?t=[^']+)'")
                .matcher(out);
        assertThat(curl.find()).as(out).isTrue();
        url = curl.group(1);
        Matcher ports = Pattern.compile("mail server: SMTP 127\\.0\\.0\\.1:(\\d+), IMAP 127\\.0\\.0\\.1:(\\d+)")
                .matcher(out);
        assertThat(ports.find()).as(out).isTrue();
        smtpPort = Integer.parseInt(ports.group(1));
        imapPort = Integer.parseInt(ports.group(2));
    }

    @AfterAll
    static void stopTheDemo() throws Exception {
        if (demo != null) {
            demo.stop(MINUTE);
            demo.close();
        }
    }

    private static JsonNode createAccount() throws Exception {
        return Accounts.create(url);
    }

    private static Session session() {
        Properties p = new Properties();
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.imap.connectiontimeout", "10000");
        return Session.getInstance(p);
    }

    /** The dclogin: line the demo printed for this address. */
    private static String dclogin(String address) throws Exception {
        return demo.awaitLine(l -> l.trim().startsWith("dclogin:" + address + "?"), MINUTE)
                .trim();
    }

    /** Every command the demo suggests, as printed, works on its database while it runs. */
    @Test
    void theCommandsTheDemoSuggests_workOnItsDatabase() throws Exception {
        Path repo = Path.of(System.getProperty("mailadm.repo")).toRealPath();
        List<String> suggested = demo.lines().stream()
                .filter(l -> l.startsWith("  MAILADM_DB="))
                .map(String::strip)
                .toList();
        assertThat(suggested).as(demo.output()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(String.join("\n", suggested)).contains("list-users", "add-user", "prune", "reconcile");
        for (String line : suggested) {
            String[] words = line.split(" ");
            String db = words[0].substring("MAILADM_DB=".length());
            List<String> command =
                    new java.util.ArrayList<>(List.of(repo.resolve("mailadm").toString()));
            command.addAll(List.of(words).subList(2, words.length));
            Proc.Result r = Proc.run(
                    work,
                    Map.of(
                            "MAILADM_BUILD",
                            "never",
                            "MAILADM_DB",
                            db,
                            "MAILADM_CACHE",
                            work.resolve("cache").toString()),
                    MINUTE,
                    command.toArray(String[]::new));
            assertThat(r.code()).as(line + "\n" + r.out()).isZero();
            assertThat(r.out()).as(line).doesNotContain("cannot connect");
        }
        assertThat(demo.output()).contains("account created: tmp.alice@example.org");
    }

    @Test
    void accountFromTheTokenUrl_sendsAndReceivesMailOverSmtpAndImap() throws Exception {
        JsonNode alice = createAccount();
        JsonNode bob = createAccount();
        String a = alice.get("email").asText();
        String b = bob.get("email").asText();
        assertThat(a).matches("tmp\\.[a-z0-9]+@example\\.org");

        Session session = session();
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(a);
        mail.setRecipients(Message.RecipientType.TO, b);
        mail.setSubject("from the demo");
        mail.setText("hello " + b);
        try (Transport smtp = session.getTransport("smtp")) {
            smtp.connect("127.0.0.1", smtpPort, a, alice.get("password").asText());
            smtp.sendMessage(mail, mail.getAllRecipients());
        }
        try (Store imap = session.getStore("imap")) {
            imap.connect("127.0.0.1", imapPort, b, bob.get("password").asText());
            Folder inbox = imap.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            assertThat(inbox.getMessage(1).getSubject()).isEqualTo("from the demo");
        }
        assertThat(dclogin(a)).contains("&ip=" + imapPort + "&is=plain").contains("&sp=" + smtpPort + "&ss=plain");
    }

    @Test
    void realDeltaChatCore_readsTheTokenUrl() throws Exception {
        DeltaChatTools tools = DeltaChatTools.require();
        assertThat(tools.dcaccountCheck(work, url).code())
                .as("dcaccount-check PASS")
                .isZero();
    }

    @Test
    void realDeltaChatCore_logsInToTwoDemoAccountsAndExchangesAnEncryptedMessage() throws Exception {
        DeltaChatTools tools = DeltaChatTools.require();
        String a = createAccount().get("email").asText();
        String b = createAccount().get("email").asText();
        DeltaChatTools.Run run = tools.dcloginE2e(work, dclogin(a), dclogin(b));
        assertThat(run.code()).as("dclogin-e2e PASS").isZero();
        assertThat(run.output()).contains("PASS: B received A's encrypted message");
    }
}
