package dev.sluice.fetch;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;

/**
 * Two checks on an HTTP/1.1 response body as Netty decodes it, installed once per connection.
 *
 * <p><b>A gzip body must decompress to what its trailer says.</b> Netty's decompressor takes the end of
 * the HTTP body for the end of the data: a gzip body cut short (its {@code content-length} matching
 * what was sent) came out as a shorter body, and the records before the cut were delivered as if they
 * were all. A gzip stream ends with the CRC-32 and the length (mod 2^32) of the data it holds (RFC
 * 1952); {@link #RAW}, before Reactor Netty's decompressor, reads those last eight bytes, and
 * {@link #DECODED}, after it, sums what comes out and at the end of the body fails the response with a
 * {@link DecompressionException} instead of ending it when they differ. The fetch then counts a
 * malformed response: retried, then dead-lettered.
 *
 * <p><b>A body Netty could not decode closes its connection.</b> After a decoder failed (a corrupt
 * compressed body, a header over the limit, a trailer that disagrees) Reactor Netty fails the response
 * but leaves the connection open and checked out of its pool for good: with a per-host limit of 1,
 * every later request to the host waited out its pool timeout. {@link #DECODED} passes the failure on,
 * then closes the connection, which gives its pool slot back.
 *
 * <p>HTTP/2 streams are not checked.
 */
final class BodyChecks {

    static final String RAW = "sluice.bodyRaw";
    static final String DECODED = "sluice.bodyDecoded";
    private static final int TRAILER = 8;

    private final byte[] trailer = new byte[TRAILER];
    private final CRC32 crc = new CRC32();
    private boolean gzip;
    private long raw;
    private long size;

    private BodyChecks() {}

    /** Adds the checks to a new connection whose pipeline has Reactor Netty's HTTP/1.1 decompressor. */
    static void install(Connection connection) {
        ChannelPipeline pipeline = connection.channel().pipeline();
        if (pipeline.get(NettyPipeline.HttpDecompressor) == null || pipeline.get(RAW) != null) {
            return;
        }
        BodyChecks check = new BodyChecks();
        pipeline.addBefore(NettyPipeline.HttpDecompressor, RAW, check.new Raw());
        pipeline.addAfter(NettyPipeline.HttpDecompressor, DECODED, check.new Decoded());
    }

    /** Sees the body as received: is it gzip, how long is it, what are its last eight bytes. */
    private final class Raw extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpResponse response) {
                String encoding = response.headers().get(HttpHeaderNames.CONTENT_ENCODING);
                gzip = encoding != null && (encoding.trim().equalsIgnoreCase("gzip") || encoding.trim().equalsIgnoreCase("x-gzip"));
                raw = 0;
                size = 0;
                crc.reset();
            }
            if (gzip && msg instanceof HttpContent content) {
                keepTail(content.content());
            }
            super.channelRead(ctx, msg);
        }

        private void keepTail(ByteBuf bytes) {
            int n = bytes.readableBytes();
            if (n >= TRAILER) {
                bytes.getBytes(bytes.readerIndex() + n - TRAILER, trailer, 0, TRAILER);
            } else if (n > 0) {
                System.arraycopy(trailer, n, trailer, 0, TRAILER - n);
                bytes.getBytes(bytes.readerIndex(), trailer, TRAILER - n, n);
            }
            raw += n;
        }
    }

    /**
     * Sums what the decompressor gives, holds back the end of a body whose trailer disagrees, and closes
     * the connection after any decoder's failure.
     */
    private final class Decoded extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            super.exceptionCaught(ctx, cause);
            if (cause instanceof DecoderException) {
                ctx.close();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (gzip) {
                ByteBuf bytes = msg instanceof HttpContent content ? content.content() : msg instanceof ByteBuf b ? b : null;
                if (bytes != null && bytes.isReadable()) {
                    for (ByteBuffer part : bytes.nioBuffers()) {
                        crc.update(part);
                    }
                    size += bytes.readableBytes();
                }
                if (msg instanceof LastHttpContent) {
                    gzip = false;
                    String wrong = mismatch();
                    if (wrong != null) {
                        ReferenceCountUtil.release(msg);
                        ctx.fireExceptionCaught(new DecompressionException(wrong));
                        ctx.close();
                        return;
                    }
                }
            }
            super.channelRead(ctx, msg);
        }
    }

    /** What is wrong with the body just ended, or null when its trailer matches (or it had no body). */
    private String mismatch() {
        if (raw == 0) {
            return null; // a 204, a 304, an answer to HEAD
        }
        if (raw < 18) {
            return "the gzip body is cut short (" + raw + " bytes, less than a gzip stream's header and trailer)";
        }
        long expectedCrc = littleEndian(0);
        long expectedSize = littleEndian(4);
        if (expectedCrc != crc.getValue() || expectedSize != (size & 0xFFFFFFFFL)) {
            return "the gzip body is cut short or corrupt: it decompressed to " + size
                    + " bytes that do not match its trailer";
        }
        return null;
    }

    private long littleEndian(int at) {
        return (trailer[at] & 0xFFL) | (trailer[at + 1] & 0xFFL) << 8 | (trailer[at + 2] & 0xFFL) << 16
                | (trailer[at + 3] & 0xFFL) << 24;
    }
}
