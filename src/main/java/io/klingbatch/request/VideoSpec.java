package io.klingbatch.request;

/**
 * One video a row asks for, before takes.
 *
 * @param format  the aspect ratio (or {@code image} when an image sets the shape, which the API then follows)
 * @param request exactly what is sent for it
 * @param name    its file name in the output folder, without extension (takes after the first add {@code -take<n>})
 */
public record VideoSpec(String format, VideoRequest request, String name) {

    /** The file name of one take of this video: {@code -take<n>} after the first when a row makes several takes. */
    public String name(int take, int takes) {
        return takes > 1 && take > 1 ? name + "-take" + take : name;
    }
}
