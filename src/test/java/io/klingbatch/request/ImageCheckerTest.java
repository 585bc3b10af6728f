package io.klingbatch.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.campaign.Columns;
import io.klingbatch.campaign.PromptRow;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image checks, through the {@code image_url} column of {@link RequestValidator}. */
class ImageCheckerTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};

    @TempDir
    Path root;

    private Path folder;
    private RequestValidator validator;

    @BeforeEach
    void setUp() throws IOException {
        folder = Files.createDirectories(root.resolve("campaign"));
        validator = new RequestValidator(new RequestProperties(List.of("pro")), Map.of(), folder);
    }

    private CheckedRow check(String imageCell) {
        return validator.check(new PromptRow(1, 2, "img", Map.of(Columns.PROMPT, "a cat", Columns.IMAGE_URL, imageCell), 0, null));
    }

    private ImageInput acceptedImage(String imageCell) {
        CheckedRow checked = check(imageCell);
        assertThat(checked).isInstanceOf(CheckedRow.Accepted.class);
        return ((CheckedRow.Accepted) checked).request().image();
    }

    private String rejection(String imageCell) {
        CheckedRow checked = check(imageCell);
        assertThat(checked).isInstanceOf(CheckedRow.Rejected.class);
        List<FieldError> errors = ((CheckedRow.Rejected) checked).errors();
        assertThat(errors).singleElement().extracting(FieldError::field).isEqualTo("image_url");
        return errors.get(0).message();
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void httpsUrlPassesThroughUnchanged() {
        assertThat(acceptedImage("https://cdn.example.com/a.png?x=1"))
                .isEqualTo(new ImageInput.Url("https://cdn.example.com/a.png?x=1"));
    }

    @Test
    void httpUrlPassesThroughUnchanged() {
        assertThat(acceptedImage("http://example.com/start.jpg")).isEqualTo(new ImageInput.Url("http://example.com/start.jpg"));
    }

    @Test
    void urlWithoutHostIsRejected() {
        assertThat(rejection("https:///a.png")).contains("has no host");
    }

    @Test
    void ftpUrlIsRejected() {
        assertThat(rejection("ftp://example.com/a.png")).contains("only http and https URLs are allowed");
    }

    @Test
    void dataUriIsRejected() {
        assertThat(rejection("data:image/png;base64,iVBORw0KGgo=")).contains("not a data: URI");
    }

    @Test
    void absolutePathIsRejectedEvenInsideTheFolder() throws IOException {
        Path image = Files.write(folder.resolve("a.png"), PNG);

        assertThat(rejection(image.toString())).contains("not an absolute path");
    }

    @Test
    void pathOutsideTheFolderIsRejected() throws IOException {
        Files.write(root.resolve("outside.png"), PNG);

        assertThat(rejection("../outside.png")).contains("points outside the CSV's folder");
    }

    @Test
    void symlinkPointingOutsideTheFolderIsRejected() throws IOException {
        Path outside = Files.write(root.resolve("outside.png"), PNG);
        Files.createSymbolicLink(folder.resolve("inside.png"), outside);

        assertThat(rejection("inside.png")).contains("links to a file outside the CSV's folder");
    }

    @Test
    void symlinkInsideTheFolderIsAccepted() throws IOException {
        Path target = Files.write(folder.resolve("real.png"), PNG);
        Files.createSymbolicLink(folder.resolve("alias.png"), target);

        assertThat(acceptedImage("alias.png")).isInstanceOf(ImageInput.LocalFile.class);
    }

    @Test
    void missingFileIsRejected() {
        assertThat(rejection("nothing.png")).contains("no image file 'nothing.png'");
    }

    @Test
    void folderIsRejected() throws IOException {
        Files.createDirectories(folder.resolve("images"));

        assertThat(rejection("images")).contains("is not a file");
    }

    @Test
    void pngNameWithOtherBytesIsRejected() throws IOException {
        Files.writeString(folder.resolve("fake.png"), "GIF89a, not really");

        assertThat(rejection("fake.png")).contains("is not a PNG or JPEG image");
    }

    @Test
    void fileShorterThanTheMagicIsRejected() throws IOException {
        Files.write(folder.resolve("tiny.png"), new byte[] {(byte) 0x89, 'P'});

        assertThat(rejection("tiny.png")).contains("is not a PNG or JPEG image");
    }

    @Test
    void fileOver10MegabytesIsRejected() throws IOException {
        Path big = Files.write(folder.resolve("big.png"), PNG);
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(10L * 1024 * 1024 + 1);
        }

        assertThat(rejection("big.png")).contains("is 10485761 bytes").contains("at most 10 MB");
    }

    @Test
    void fileOfExactly10MegabytesIsAccepted() throws IOException {
        Path big = Files.write(folder.resolve("big.png"), PNG);
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(10L * 1024 * 1024);
        }

        assertThat(acceptedImage("big.png")).isInstanceOfSatisfying(ImageInput.LocalFile.class,
                image -> assertThat(image.size()).isEqualTo(10L * 1024 * 1024));
    }

    @Test
    void validPngIsALocalFileWithSizeAndSha256() throws Exception {
        Path image = Files.write(folder.resolve("start.png"), PNG);

        assertThat(acceptedImage("start.png")).isEqualTo(new ImageInput.LocalFile(image, PNG.length, sha256(PNG)));
    }

    @Test
    void validJpegInASubfolderIsALocalFileWithSizeAndSha256() throws Exception {
        Path image = Files.write(Files.createDirectories(folder.resolve("img")).resolve("start.jpg"), JPEG);

        assertThat(acceptedImage(" img/../img/start.jpg ")).isEqualTo(new ImageInput.LocalFile(image, JPEG.length, sha256(JPEG)));
    }
}
